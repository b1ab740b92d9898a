// The streams, environment, clock and signals a command may touch of the outside world (what
// tests fake), apart from the Context that is built on them, so that the modules the Context
// builds can name them without importing it.
import type { Readable, Writable } from 'node:stream';
import type { CommandId } from './commands/tree.js';

export interface InStream extends Readable {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}
export interface OutStream extends Writable {
  isTTY?: boolean;
  columns?: number;
}

export type SignalName = 'SIGINT' | 'SIGTERM';

/** Everything a command may touch of the outside world. Tests pass fakes. */
export interface IO {
  stdin: InStream;
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe function. */
  onSignal: (handler: (signal: SignalName) => void) => () => void;
}

/**
 * Runs one command in this process and returns the value its --json prints (`anchor mcp` calls
 * commands so, for data): raw flag values and positional words are checked by the command's
 * declaration, as on the command line; a refusal is the typed error it throws.
 */
export type Invoke = (
  id: CommandId,
  input: { flags: Record<string, unknown>; words: readonly string[]; globals: Record<string, unknown> },
  io: IO,
) => Promise<unknown>;
