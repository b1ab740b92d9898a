// `anchor mcp` from the built binary, driven over stdio by the SDK's own client: a session with an
// isolated home, its stderr kept, and each result checked against the outputSchema the server
// listed for its tool (with ajv, independently of the client's own check).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { anchorCommandParams, isolatedEnv } from './bin.js';

export interface McpResult {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface McpSession {
  client: Client;
  env: Record<string, string>;
  secretDir: string;
  tools: Awaited<ReturnType<Client['listTools']>>['tools'];
  call: (name: string, args?: Record<string, unknown>) => Promise<McpResult>;
  /** Why `result` does not conform to `tool`'s listed outputSchema, or undefined when it does. */
  schemaProblem: (tool: string, result: McpResult) => string | undefined;
  stderr: () => string;
  close: () => Promise<void>;
}

/** The text a model reads of a result: every text block. */
export const textOf = (r: McpResult): string => r.content.map((c) => c.text ?? '').join('\n');

export async function connectStdio(o: { env: Record<string, string>; args?: string[] }): Promise<McpSession> {
  const secretDir = join(mkdtempSync(join(tmpdir(), 'anchor-mcp-')), 'secrets');
  const env = isolatedEnv(o.env);
  const transport = new StdioClientTransport({
    ...anchorCommandParams(['mcp', '--secret-dir', secretDir, ...(o.args ?? [])]),
    env,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'anchor-test', version: '1.0.0' });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validators = new Map<string, ValidateFunction>();
  for (const t of tools) if (t.outputSchema) validators.set(t.name, ajv.compile(t.outputSchema));
  return {
    client,
    env,
    secretDir,
    tools,
    call: (name, args = {}) => client.callTool({ name, arguments: args }) as Promise<McpResult>,
    schemaProblem: (tool, result) => {
      const validate = validators.get(tool);
      if (!validate) return `${tool} lists no outputSchema`;
      if (!result.structuredContent) return `${tool} gave no structured content`;
      return validate(result.structuredContent) ? undefined : ajv.errorsText(validate.errors);
    },
    stderr: () => err,
    close: () => client.close(),
  };
}
