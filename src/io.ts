// The streams, environment, clock and signals a command may touch of the outside world (what
// tests fake), apart from the Context that is built on them, so that the modules the Context
// builds can name them without importing it.
import type { Readable, Writable } from 'node:stream';
import type { CommandId } from './commands/tree.js';
import type { StopSignal } from './lib/stop-signals.js';

export interface InStream extends Readable {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}
export interface OutStream extends Writable {
  isTTY?: boolean;
  columns?: number;
}

/** Ctrl-C, SIGTERM, or SIGHUP (the terminal closed): each asks a running command to clean up and stop. */
export type SignalName = StopSignal;

/** Everything a command may touch of the outside world. Tests pass fakes. */
export interface IO {
  stdin: InStream;
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** Subscribes to SIGINT, SIGTERM and SIGHUP (a closed terminal); returns the unsubscribe function. */
  onSignal: (handler: (signal: SignalName) => void) => () => void;
  /** Where a long wait reports how far it is (`anchor mcp`'s progress notifications); absent on a terminal. */
  progress?: Progress;
}

/** How far a long wait is: `progress` grows toward `total` (both in the same unit), with a line. */
export type Progress = (p: { progress: number; total?: number; message?: string }) => void;

/** What `invoke` runs a command with: raw flag values as commander would hold them, words, globals. */
export interface InvokeInput {
  /** By flag key: strings, string[] for a repeatable flag, booleans (false for a `--no-x`). */
  flags: Record<string, unknown>;
  /** The positional values, each a value (never read as an option). */
  words: readonly string[];
  /** The global options by key (`json`, `input`, `debug`, ...), as commander would hold them. */
  globals: Record<string, unknown>;
}

/**
 * What a command run in process gave: the value its --json prints, and, when it also failed (a
 * signature that did not verify, a delivery that failed), the error that sets its exit code.
 */
export interface Invoked {
  data: unknown;
  failure?: Error;
}

/**
 * Runs one command in this process (`anchor mcp` calls commands so, for data): raw flag values and
 * positional words are checked by the command's declaration, as on the command line; a refusal is
 * the typed error it throws. The value and the error's text have the secrets the command
 * registered redacted, as main() would write them.
 */
export type Invoke = (id: CommandId, input: InvokeInput, io: IO) => Promise<Invoked>;
