// `anchor mcp` from the built binary, driven over stdio by the SDK's own client: a session with an
// isolated home, the key and API URL given, and the server's stderr kept for the test to read.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { anchorCommandParams, isolatedEnv } from './bin.js';

export interface McpSession {
  client: Client;
  env: Record<string, string>;
  secretDir: string;
  stderr: () => string;
  call: (name: string, args?: Record<string, unknown>) => Promise<McpResult>;
  close: () => Promise<void>;
}

export interface McpResult {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export const resultText = (r: McpResult): string => r.content.map((c) => c.text ?? '').join('\n');

export async function connectMcp(o: {
  apiUrl: string;
  args?: string[];
  env?: Record<string, string>;
  /** The server's working directory, and a --secret-dir relative to it (else an absolute temporary one). */
  cwd?: string;
  secretDir?: string;
}): Promise<McpSession> {
  const secretDir = o.secretDir ?? join(mkdtempSync(join(tmpdir(), 'anchor-mcp-agents-')), 'secrets');
  const env = o.env ?? {
    ...isolatedEnv({
      ANCHOR_API_URL: o.apiUrl,
      ANCHOR_API_KEY: `mcp-agents-${randomBytes(8).toString('hex')}`,
      ANCHOR_ALLOW_LOCAL_TARGETS: '1',
    }),
  };
  const transport = new StdioClientTransport({
    ...anchorCommandParams(['mcp', '--secret-dir', secretDir, ...(o.args ?? [])]),
    env,
    stderr: 'pipe',
    ...(o.cwd ? { cwd: o.cwd } : {}),
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({ name: 'anchor-agents-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    env,
    secretDir,
    stderr: () => err,
    call: (name, args = {}) => client.callTool({ name, arguments: args }) as Promise<McpResult>,
    close: () => client.close(),
  };
}
