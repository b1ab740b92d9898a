// One tool call: its arguments checked, its command invoked in this process (src/cli.ts's
// `invoke`, with --json, --no-input and --debug as globals, on captured streams) and its data
// returned as the tool's result: structured, and as compact JSON after a short text, for clients
// that hand a model only the text. A failure is a tool error with the command's message and hint in
// the model's words (model-words.ts). The request's abort signal reaches the command as Ctrl-C
// would, and its progress as notifications. Nothing of it is written to the real stdout, the protocol's.
import { Readable, Writable } from 'node:stream';
import type { Invoke, IO, Progress } from '../io.js';
import { CliError, ExitCode, renderError } from '../errors.js';
import { inModelWords } from './model-words.js';
import { isRecord, textAt } from './read.js';
import { nameSecretFile, PendingSecrets } from './secret-files.js';
import type { CommandRequest, ToolDef } from './tool-def.js';
import { ToolInputError, type ToolArgs } from './tool-input.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** What a call needs of the server. */
export interface CallOptions {
  secretDir: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  invoke: Invoke;
  /** --debug: each call's HTTP trace (secrets redacted) goes to `log`. */
  debug?: boolean;
  log?: (text: string) => void;
}

/** Reports a call's progress to the client (set only when it asked for progress). */
export type CallProgress = Progress;

/** What one request brings besides its arguments. */
export interface CallRequest {
  /** Aborted when the client cancels the request (notifications/cancelled). */
  signal?: AbortSignal;
  progress?: CallProgress | undefined;
}

export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export const toolError = (text: string): ToolResult => ({ content: [{ type: 'text', text }], isError: true });

/** The structured content of an answer: an object as it is, an array as `items`. */
const structuredOf = (out: unknown): Record<string, unknown> | undefined =>
  Array.isArray(out) ? { items: out } : isRecord(out) ? out : undefined;

/** A JSON document a command printed itself (one that streams, or answers and then fails). */
function printedDocument(text: string): unknown {
  try {
    return text.trim() ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A command's failure as the tool says it: its message and hint, as --json renders them. Never
 * with --debug's additions: the trace goes to the server's stderr, not to the model.
 */
function failureText(failure: unknown): string {
  let rendered = '';
  renderError(failure, { json: true, debug: false, color: false, write: (s) => (rendered += s) });
  const message = textAt(printedDocument(rendered), 'error', 'message');
  const hint = textAt(printedDocument(rendered), 'error', 'hint');
  return message === undefined ? rendered.trim() : `${message}${hint ? `\n${hint}` : ''}`;
}

/** The IO a command runs on in a call: captured streams, the server's env and clock, the request's signal. */
function callIO(o: CallOptions, call: CallRequest, stdin: string | undefined, stdout: Capture, stderr: Capture): IO {
  return {
    stdin: Readable.from(stdin === undefined ? [] : [Buffer.from(stdin)]),
    stdout,
    stderr,
    env: o.env,
    now: o.now,
    // A cancelled request stops the command as Ctrl-C stops it on a terminal (a wait stops polling).
    onSignal: (handler) => {
      const signal = call.signal;
      if (!signal) return () => {};
      const onAbort = () => handler('SIGINT');
      if (signal.aborted) queueMicrotask(onAbort);
      else signal.addEventListener('abort', onAbort, { once: true });
      return () => signal.removeEventListener('abort', onAbort);
    },
    ...(call.progress ? { progress: call.progress } : {}),
  };
}

/** Runs a command for its data alone (a tool's look before it acts); its failure is thrown. */
function runFor(o: CallOptions, call: CallRequest) {
  return async (command: ToolDef['command'], flags: Record<string, unknown>, words: string[] = []) => {
    const io = callIO(o, call, undefined, new Capture(), new Capture());
    const invoked = await o.invoke(command, { flags, words, globals: { json: true, input: false } }, io);
    if (invoked.failure) throw invoked.failure;
    return invoked.data;
  };
}

/** The result a model reads: the short text, then the structured content as compact JSON. */
function answer(text: string, structured: Record<string, unknown> | undefined, isError: boolean): ToolResult {
  const content: ToolResult['content'] = [{ type: 'text', text }];
  if (structured) content.push({ type: 'text', text: JSON.stringify(structured) });
  return { content, ...(structured ? { structuredContent: structured } : {}), ...(isError ? { isError } : {}) };
}

/**
 * Runs `tool` and answers in the model's words (`tools`: every tool the server has, which the
 * words name in place of the commands they run).
 */
export async function callTool(
  tool: ToolDef,
  args: ToolArgs,
  o: CallOptions,
  call: CallRequest = {},
  tools: readonly ToolDef[] = [tool],
): Promise<ToolResult> {
  const refuse = (text: string) => toolError(inModelWords(text, tool, tools));
  const secrets = new PendingSecrets(o.secretDir);
  let request: CommandRequest | string;
  try {
    const checked = tool.prepare
      ? await tool.prepare(args, { env: o.env, nowMs: o.now().getTime(), secretDir: o.secretDir, run: runFor(o, call) })
      : args;
    request = typeof checked === 'string' ? checked : tool.request(checked, { secretFile: secrets.file });
  } catch (e) {
    if (e instanceof ToolInputError) return refuse(e.message);
    throw e;
  }
  if (typeof request === 'string') return refuse(request);
  if (secrets.paths.length) {
    const problem = secrets.prepareFolder();
    if (problem) return refuse(problem);
  }
  const stdout = new Capture();
  const stderr = new Capture();
  const io = callIO(o, call, tool.stdin?.(args), stdout, stderr);
  const globals = { json: true, input: false, ...(o.debug ? { debug: true } : {}) };
  let out: unknown;
  let failure: unknown;
  let failed = false;
  try {
    const invoked = await o.invoke(tool.command, { ...request, globals }, io);
    out = invoked.data;
    if (invoked.failure) {
      failed = true;
      failure = invoked.failure;
    }
  } catch (e) {
    failed = true;
    failure = e;
  }
  if (o.debug && o.log) {
    const trace = stderr.text
      .split('\n')
      .filter((l) => l.startsWith('[debug]'))
      .join('\n');
    if (trace) o.log(`${tool.name}:\n${trace}\n`);
  }
  out ??= printedDocument(stdout.text);
  if (call.signal?.aborted) return toolError(`${tool.name} was cancelled by the client.`);
  let note = '';
  if (!failed && out !== undefined && tool.after) {
    const done = tool.after(out, args, { secretDir: o.secretDir });
    note = ` ${done.note}`;
    if (done.add && isRecord(out)) Object.assign(out, done.add);
  }
  // A new secret's file is named after its webhook once the webhook exists, if its id can name one.
  const secretFile = textAt(out, 'secret_file');
  let refusedName: string | undefined;
  if (!failed && secrets.paths.length && isRecord(out) && secretFile !== undefined) {
    const named = nameSecretFile({ id: out.id, secretFile }, tool.name, o.secretDir);
    if ('refused' in named) refusedName = named.refused;
    else out.secret_file = named.named;
  }
  const structured = out === undefined ? undefined : tool.result ? tool.result(out, args) : structuredOf(out);
  if (refusedName !== undefined) return answer(inModelWords(refusedName, tool, tools), structured, true);
  if (!failed && out === undefined) return toolError(`${tool.name} gave no answer (the command printed no JSON).`);
  // A graded tool's failed check (an invalid signature, a receiver's wrong answer) is its answer.
  const answered =
    !failed ||
    (tool.graded === true &&
      failure instanceof CliError &&
      failure.exitCode === ExitCode.checkFailed &&
      out !== undefined);
  if (answered) return answer(`${tool.summary(out, args)}${note}`, structured, false);
  const own = tool.failed?.(failure, out, args);
  return answer(inModelWords(own ?? failureText(failure), tool, tools), structured, true);
}
