// Typed errors, and the one place that turns any error into a message, a hint and an exit code.
import { escapeControl } from './ui/format.js';

/** The exit codes of the CLI contract (docs/reference.md#exit-codes). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  apiRefused: 3,
  auth: 4,
  notFound: 5,
  checkFailed: 6,
  cancelled: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface CliErrorOptions {
  hint?: string | undefined;
  status?: number | undefined;
  cause?: unknown;
}

/** An error the user can act on: rendered without a stack trace. */
export class CliError extends Error {
  readonly code: string = 'error';
  readonly exitCode: ExitCodeValue = ExitCode.failure;
  readonly hint: string | undefined;
  readonly status: number | undefined;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.status = options.status;
  }
}

/** Bad or missing flags or arguments, input that fails validation, a prompt needed while input is off. */
export class UsageError extends CliError {
  override readonly code = 'usage';
  override readonly exitCode = ExitCode.usage;
}

/** The API refused the request (400, 409, 422). */
export class ApiError extends CliError {
  override readonly code = 'api_refused';
  override readonly exitCode = ExitCode.apiRefused;
}

/** No key configured, or the API answered 401/403. */
export class AuthError extends CliError {
  override readonly code = 'auth';
  override readonly exitCode = ExitCode.auth;
}

export class NotFoundError extends CliError {
  override readonly code = 'not_found';
  override readonly exitCode = ExitCode.notFound;
}

/** A server error, a network failure after retries, a response we could not read. */
export class ServerError extends CliError {
  override readonly code = 'server_error';
}

export class NetworkError extends CliError {
  override readonly code = 'network_error';
}

/** A wait ran out before what it waited for came (`listen --until`). */
export class TimeoutError extends CliError {
  override readonly code = 'timeout';
}

/** A tunnel (`listen --tunnel`) could not start, did not give a public URL, or did not reach this listener. */
export class TunnelError extends CliError {
  override readonly code = 'tunnel';
}

/** A check failed: a signature did not verify, a test delivery did not succeed. */
export class CheckFailedError extends CliError {
  override readonly code = 'check_failed';
  override readonly exitCode = ExitCode.checkFailed;
}

/** Ctrl-C or a declined confirmation. */
export class CancelledError extends CliError {
  override readonly code = 'cancelled';
  override readonly exitCode = ExitCode.cancelled;
  constructor(message = 'Cancelled; nothing was sent.', options: CliErrorOptions = {}) {
    super(message, options);
  }
}

export interface RenderTarget {
  json: boolean;
  debug: boolean;
  color: boolean;
  write: (text: string) => void;
}

/** Renders `err` on stderr and returns the exit code. Unexpected errors are reported as bugs. */
export function renderError(err: unknown, target: RenderTarget): ExitCodeValue {
  const known = err instanceof CliError ? err : undefined;
  const exitCode = known ? known.exitCode : ExitCode.failure;
  const message = known ? known.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  const hint = known
    ? known.hint
    : target.debug
      ? 'This is a bug in anchor; please report it with the trace above.'
      : 'This is a bug in anchor. Re-run with --debug for the stack trace, and please report it.';

  if (target.json) {
    const body: Record<string, unknown> = { code: known ? known.code : 'internal_error', message };
    if (known?.status !== undefined) body.status = known.status;
    if (hint) body.hint = hint;
    target.write(`${JSON.stringify({ error: body })}\n`);
    return exitCode;
  }
  if (target.debug && !known && err instanceof Error && err.stack) target.write(`${err.stack}\n`);
  const red = (s: string) => (target.color ? `\u001b[31m${s}\u001b[39m` : s);
  const dim = (s: string) => (target.color ? `\u001b[2m${s}\u001b[22m` : s);
  // A message may carry an API's or a file's text: control characters are shown escaped, line by line.
  const safe = (text: string) => text.split('\n').map(escapeControl).join('\n');
  if (exitCode === ExitCode.cancelled) {
    target.write(`${safe(message)}\n`);
  } else {
    target.write(`${red('Error:')} ${safe(message)}\n`);
  }
  if (hint) target.write(`${dim(safe(hint))}\n`);
  return exitCode;
}
