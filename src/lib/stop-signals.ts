// The signals that ask a running command to stop and clean up — Ctrl-C (SIGINT), SIGTERM, and the
// SIGHUP of a terminal that closes — and what keeps a clean-up after a hang-up from dying of the
// terminal it was started in.
import { closeSync, fstatSync } from 'node:fs';
import type { Writable } from 'node:stream';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

let outputGuarded = false;
let hungUp = false;

/**
 * Calls `handler` on each stop signal until the returned function is called. While any handler is
 * subscribed, Node's default (ending the process at once, with no clean-up) is off for all three;
 * a command that subscribes nothing keeps it. `outputs` are the process's stdout and stderr.
 */
export function onStopSignals(handler: (signal: StopSignal) => void, outputs: readonly Writable[]): () => void {
  guardTerminalOutput(outputs);
  const offs = STOP_SIGNALS.map((signal) => {
    const listener = () => {
      if (signal === 'SIGHUP') noteHangUp();
      handler(signal);
    };
    process.on(signal, listener);
    return () => process.off(signal, listener);
  });
  return () => {
    for (const off of offs) off();
  };
}

/**
 * A write to a terminal that has gone fails with EIO, and, after a hang-up, one to a pipe whose
 * reader went with it (`anchor … | tee log`) with EPIPE: Node reports both as an 'error' event that
 * would end the process half-way through its clean-up (the temporary webhook left registered).
 * Those lines have nobody to read them; anything else is still thrown.
 */
function guardTerminalOutput(outputs: readonly Writable[]): void {
  if (outputGuarded) return;
  outputGuarded = true;
  const ignoreGoneReader = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EIO' || (hungUp && err.code === 'EPIPE')) return;
    throw err;
  };
  for (const output of outputs) output.on('error', ignoreGoneReader);
}

/**
 * A hang-up often arrives twice (an interactive shell passes its SIGHUP on to its jobs, then the
 * kernel sends one to the terminal's foreground group as the shell exits), and a command stops
 * listening after the first: a second one must not end the clean-up the first started. It asks
 * for nothing new, so from then on it is ignored (a listener that does not keep Node running).
 */
function noteHangUp(): void {
  if (hungUp) return;
  hungUp = true;
  process.on('SIGHUP', () => {});
  process.once('exit', releaseHungUpTerminal);
}

/**
 * Node 20 restores the terminal's settings on its way out and aborts when the terminal is gone
 * (its ResetStdio asserts on tcsetattr's EIO; Node 22 no longer does): the process would end with
 * SIGSEGV or SIGABRT after a clean-up that went well. It skips a descriptor that is closed, so the
 * character devices among 0–2 are closed at exit, after everything has been written.
 */
function releaseHungUpTerminal(): void {
  for (const fd of [0, 1, 2]) {
    try {
      if (fstatSync(fd).isCharacterDevice()) closeSync(fd);
    } catch {
      // Already closed: nothing to release.
    }
  }
}
