// The MCP server of `anchor mcp`, on stdio with the official SDK (loaded by this command only).
// A tool call runs its command line in this process, with captured streams and --json: its
// result is the command's JSON (structured) and a short text; a failure is a tool error with the
// command's message and hint. Nothing of it is written to the real stdout, which is the protocol's.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, statSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { IO } from '../context.js';
import type { CommandSpec } from '../commands/spec.js';
import { buildTools, type ToolArgs, type ToolDef } from './tools.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface McpOptions {
  readOnly: boolean;
  secretDir: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  main: (argv: string[], io: IO) => Promise<number>;
  /** The declarations of the command tree, by id: the tools' schemas are made from them. */
  declarations: Map<string, CommandSpec>;
  version: string;
  /** --debug: each call's HTTP trace (secrets redacted) goes to the server's stderr. */
  debug?: boolean;
  log?: (text: string) => void;
}

interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

const error = (text: string): ToolResult => ({ content: [{ type: 'text', text }], isError: true });

/** Runs one tool: its command line, in process, and its answer as a tool result. */
export async function callTool(tool: ToolDef, args: ToolArgs, o: McpOptions): Promise<ToolResult> {
  const pending: string[] = [];
  const secretFile = (kind: string) => {
    const path = join(o.secretDir, `pending-${kind}-${randomBytes(6).toString('hex')}.secret`);
    pending.push(path);
    return path;
  };
  const argv = tool.argv(args, { secretFile });
  if (typeof argv === 'string') return error(argv);
  if (pending.length) {
    mkdirSync(o.secretDir, { recursive: true, mode: 0o700 });
    if ((statSync(o.secretDir).mode & 0o077) !== 0) chmodSync(o.secretDir, 0o700);
  }
  const stdout = new Capture();
  const stderr = new Capture();
  const input = tool.stdin?.(args);
  const io: IO = {
    stdin: Readable.from(input === undefined ? [] : [Buffer.from(input)]) as IO['stdin'],
    stdout,
    stderr,
    env: o.env,
    now: o.now,
    onSignal: () => () => {},
  };
  const code = await o.main([...argv, '--json', '--no-input', ...(o.debug ? ['--debug'] : [])], io);
  if (o.debug && o.log) {
    const trace = stderr.text
      .split('\n')
      .filter((l) => l.startsWith('[debug]'))
      .join('\n');
    if (trace) o.log(`${tool.name}:\n${trace}\n`);
  }
  let out: unknown;
  try {
    out = stdout.text.trim() ? JSON.parse(stdout.text) : undefined;
  } catch {
    out = undefined;
  }
  // A new secret's file is named after its webhook once the webhook exists.
  if (code === 0 && pending.length && out && typeof out === 'object' && 'secret_file' in out) {
    const o2 = out as { id: string; secret_file: string };
    const named = join(o.secretDir, `${o2.id}${tool.name === 'rotate_webhook_secret' ? `-${Date.now()}` : ''}.secret`);
    renameSync(o2.secret_file, named);
    o2.secret_file = named;
  }
  const structured =
    out === undefined ? undefined : Array.isArray(out) ? { items: out } : (out as Record<string, unknown>);
  // verify_signature's "invalid" is an answer, not a failure.
  const answered = code === 0 || (tool.name === 'verify_signature' && code === 6 && out !== undefined);
  if (answered) {
    return {
      content: [{ type: 'text', text: tool.summary(out, args) }],
      ...(structured ? { structuredContent: structured } : {}),
    };
  }
  let message = stderr.text.trim();
  try {
    const e = (JSON.parse(message) as { error: { message: string; hint?: string; code: string } }).error;
    message = `${e.message}${e.hint ? `\n${e.hint}` : ''}`;
  } catch {
    // Not JSON: the text as it is.
  }
  return { ...error(message || `failed (exit ${code})`), ...(structured ? { structuredContent: structured } : {}) };
}

export async function serveMcp(o: McpOptions): Promise<void> {
  const server = new McpServer({ name: 'anchor', version: o.version });
  const tools = buildTools((id) => {
    const spec = o.declarations.get(id);
    if (!spec) throw new Error(`no declaration of ${id}`);
    return spec;
  });
  for (const tool of tools) {
    if (o.readOnly && !tool.readOnly) continue;
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: {
          title: tool.title,
          readOnlyHint: tool.readOnly,
          destructiveHint: tool.destructive === true,
          idempotentHint: tool.readOnly,
          openWorldHint: !tool.name.startsWith('list_event') && tool.name !== 'describe_event_type',
        },
      },
      async (args: ToolArgs) => {
        try {
          return await callTool(tool, args, o);
        } catch (e) {
          return error(`anchor could not run ${tool.name}: ${(e as Error).message}`);
        }
      },
    );
  }
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.close();
}
