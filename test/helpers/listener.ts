// Starting `anchor webhooks listen` for a test, in-process or as the built binary, and learning
// where it listens from what it says: the "Ready: listening on <url>" line (or its --ready-file),
// and the "Inspector: <url>" line. One parser, one deadline, so the tests stop copying regexes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { main } from '../../src/cli.js';
import { anchorCommand } from './bin.js';
import { fakeIO, type FakeIO, type FakeIOOptions } from './io.js';

/** The ready line's start, for a test that acts the instant it appears (e.g. sends a signal). */
export const READY_LINE = /Ready: listening on /;

/**
 * The URL of the ready line. It is followed by ", forwarding to …", "; temporary webhook …",
 * "; waiting for …" or ". Ctrl-C to stop.", so the URL ends before the punctuation of the
 * first of them (a URL can hold '.' and ',' only before its last character).
 */
export function readyUrl(stderr: string): string | undefined {
  return /Ready: listening on (http:\/\/\S+?)[,.;]? /.exec(stderr)?.[1];
}

/** The inspector's page with its token, from the line `listen --inspect` prints after ready. */
export function inspectorUrl(stderr: string): string | undefined {
  return /^Inspector: (\S+)$/m.exec(stderr)?.[1];
}

/** Waits until `probe` gives a value, `failed` says why it never will, or the deadline passes. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  failed: () => string | undefined = () => undefined,
  deadlineMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    const why = failed();
    if (why !== undefined) throw new Error(`${what}: ${why}`);
    if (Date.now() > deadline) throw new Error(`${what}: nothing after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const argValue = (args: string[], flag: string): string | undefined => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};

/** Port 0 unless the test chose one: the kernel picks a free port, nothing is picked and released. */
const withPort = (args: string[]): string[] => (args.includes('--port') ? args : ['--port', '0', ...args]);

/** What a listener that is ready tells: its URL (with the path) and port, and the inspector's URL. */
export interface Listening {
  url: string;
  port: number;
  /** With --inspect: the page's URL, token included. */
  inspectorUrl?: string;
}

/**
 * Waits for what a listener with `args` announces in `stderr()`: from the --ready-file when it
 * has one (the file is renamed into place, so its text is whole), else from the ready line;
 * and, with --inspect, the inspector's line.
 */
async function learn(
  args: string[],
  stderr: () => string,
  ended: () => string | undefined,
  deadlineMs: number,
): Promise<Listening> {
  const readyFile = argValue(args, '--ready-file');
  const failed = () => {
    const why = ended();
    return why === undefined ? undefined : `${why}; stderr: ${stderr()}`;
  };
  const url = await waitFor(
    'listen did not get ready',
    readyFile !== undefined
      ? () => (existsSync(readyFile) ? readFileSync(readyFile, 'utf8').trim() : undefined)
      : () => readyUrl(stderr()),
    failed,
    deadlineMs,
  );
  const inspector = args.includes('--inspect')
    ? await waitFor('listen --inspect did not open its page', () => inspectorUrl(stderr()), failed, deadlineMs)
    : undefined;
  return { url, port: Number(new URL(url).port), ...(inspector !== undefined ? { inspectorUrl: inspector } : {}) };
}

export interface InProcessListen extends Listening {
  io: FakeIO;
  /** Resolves with the exit code of main(). */
  done: Promise<number>;
  /** Sends SIGINT and resolves with the exit code. */
  stop: () => Promise<number>;
}

/**
 * Runs `anchor webhooks listen <args>` in-process (with `--port 0` unless `args` has a port) and
 * resolves once it is ready; rejects with its stderr if it exits first or the deadline passes.
 */
export async function startListen(
  args: string[],
  options: FakeIOOptions = {},
  deadlineMs = 15_000,
): Promise<InProcessListen> {
  const argv = withPort(args);
  const io = fakeIO(options);
  let exit: number | undefined;
  const done = main(['webhooks', 'listen', ...argv], io).then((code) => (exit = code));
  const listening = await learn(
    argv,
    () => io.stderr.text,
    () => (exit === undefined ? undefined : `exited ${exit}`),
    deadlineMs,
  );
  return {
    ...listening,
    io,
    done,
    stop: () => {
      io.sendSignal('SIGINT');
      return done;
    },
  };
}

export interface BinListen extends Listening {
  child: ChildProcess;
  /** stdout, a line at a time. */
  lines: string[];
  stderr: () => string;
  /** stdout as read so far. */
  stdout: () => string;
  /** Sends SIGINT (or the given signal) and resolves with the exit code once all output is read. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  /** Kills it if it is still running (for a finally). */
  kill: () => void;
  /** Resolves with the exit code when it ends on its own (or is stopped), all output read. */
  exited: Promise<number | null>;
}

/**
 * Starts `anchor webhooks listen <args>` from the built binary (behind `wrapper`, e.g. prlimit),
 * with `--port 0` unless `args` has a port, and resolves once it is ready. A listener that exits
 * first or misses the deadline is killed, and the promise rejects with its stderr.
 */
export async function startBinListen(
  args: string[],
  env: Record<string, string>,
  wrapper: string[] = [],
  deadlineMs = 15_000,
): Promise<BinListen> {
  const argv = withPort(args);
  const [command, ...rest] = [...wrapper, ...anchorCommand(['webhooks', 'listen', ...argv]).flat()];
  const child = spawn(command!, rest, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let exit: string | undefined;
  // 'close', not 'exit': by then everything the process wrote has been read.
  const exited = new Promise<number | null>((r) =>
    child.on('close', (code, signal) => {
      exit = `exited ${code ?? signal}`;
      r(code);
    }),
  );
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  try {
    const listening = await learn(
      argv,
      () => stderr,
      () => exit,
      deadlineMs,
    );
    return {
      ...listening,
      child,
      lines,
      stderr: () => stderr,
      stdout: () => stdout,
      stop: (signal = 'SIGINT') => {
        child.kill(signal);
        return exited;
      },
      kill,
      exited,
    };
  } catch (err) {
    kill();
    throw err;
  }
}
