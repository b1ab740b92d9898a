// The streams, environment, clock and signals a command may touch of the outside world (what
// tests fake), apart from the Context that is built on them, so that the modules the Context
// builds can name them without importing it.
import type { Readable, Writable } from 'node:stream';

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
