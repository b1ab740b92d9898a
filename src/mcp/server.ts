// The MCP server of `anchor mcp`, on stdio with the official SDK (loaded by this command only).
// A tool call runs its command line in this process, with captured streams and --json: its
// result is the command's JSON (structured) and a short text; a failure is a tool error with the
// command's message and hint. Nothing of it is written to the real stdout, which is the protocol's.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { secretDirProblem } from '../lib/secret-dir.js';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { IO } from '../context.js';
import type { CommandSpec } from '../commands/spec.js';
import { fileForId, moveToNewName, quoteId, unsafeIdReason } from '../lib/safe-name.js';
import { buildTools, type ToolArgs, type ToolDef } from './tools.js';
import { ToolInputError } from './tool-input.js';

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
  let argv: string[] | string;
  try {
    const checked = tool.prepare ? tool.prepare(args, { env: o.env, nowMs: o.now().getTime() }) : args;
    argv = typeof checked === 'string' ? checked : tool.argv(checked, { secretFile });
  } catch (e) {
    if (e instanceof ToolInputError) return error(e.message);
    throw e;
  }
  if (typeof argv === 'string') return error(argv);
  if (pending.length) {
    const problem = secretDirProblem(o.secretDir, '--secret-dir');
    if (problem)
      return error(`${problem.message}; the server's secret folder must be fixed before a secret can be written`);
    mkdirSync(o.secretDir, { recursive: true, mode: 0o700 });
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
  // The global flags go first: after the tool's `--`, they would be positional values.
  const code = await o.main(['--json', '--no-input', ...(o.debug ? ['--debug'] : []), ...argv], io);
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
  const structured =
    out === undefined ? undefined : Array.isArray(out) ? { items: out } : (out as Record<string, unknown>);
  // A new secret's file is named after its webhook once the webhook exists, if its id can name one.
  if (code === 0 && pending.length && out && typeof out === 'object' && 'secret_file' in out) {
    const refused = nameSecretFile(out as { id: unknown; secret_file: string }, tool.name, o.secretDir);
    if (refused) return { ...error(refused), ...(structured ? { structuredContent: structured } : {}) };
  }
  if (code === 0 && out === undefined) return error(`${tool.name} gave no answer (the command printed no JSON).`);
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

/**
 * Moves a new secret from its pending file to `<id>.secret` (rotations: `<id>-<ms>.secret`). An id
 * the API answered that cannot name a file, or a name already taken, leaves the secret where it
 * is, in the folder and 0600: the message says what was done and where the secret is.
 */
function nameSecretFile(
  out: { id: unknown; secret_file: string },
  toolName: string,
  secretDir: string,
): string | undefined {
  const rotated = toolName === 'rotate_webhook_secret';
  const named =
    typeof out.id === 'string'
      ? fileForId(secretDir, out.id, rotated ? `-${Date.now()}.secret` : '.secret')
      : undefined;
  let why = named ? undefined : (unsafeIdReason(out.id) ?? 'its file name would leave the folder');
  if (named) {
    try {
      moveToNewName(out.secret_file, named);
      out.secret_file = named;
    } catch (e) {
      why = `${named} could not be made (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}), and an existing file is never replaced`;
    }
  }
  if (why === undefined) return undefined;
  const done = rotated
    ? `rotated the secret of ${quoteId(out.id)}`
    : `created a webhook (do not call create_webhook again for it; list_webhooks shows it)`;
  return `${done}, but the API answered with the id ${quoteId(out.id)}, which cannot name its secret file: ${why}. The ${rotated ? 'new ' : ''}signing secret is in ${out.secret_file} (mode 0600) instead; nothing was written outside ${secretDir}.`;
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
