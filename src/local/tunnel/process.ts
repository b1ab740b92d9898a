// Runs a tunnel program: spawned without a shell (argv), in its own process group, with an
// environment free of anchor's key and secrets; its output read a line at a time within a size
// limit until it names its public URL, a known failure, exits, or the deadline passes; then kept
// drained (a full pipe would stall it), its last lines kept for the message if it exits later.
// Stopped with SIGTERM to its group, then SIGKILL after a short grace, on every way out; the stop
// waits for the whole group, not only the program anchor started (a `sh -c` can die of SIGTERM and
// leave a child that ignores it), and its timers hold the process open until the group is gone.
import { spawn } from 'node:child_process';
import { TunnelError } from '../../errors.js';
import { escapeControl } from '../../ui/format.js';
import { formatDuration } from '../../lib/duration.js';
import type { TunnelProgram } from './program.js';

/** How long a tunnel program has to print its public URL. */
export const URL_DEADLINE_MS = 30_000;
/** What it may print before its URL: a program that prints more is not printing one. */
const MAX_BYTES_BEFORE_URL = 1024 * 1024;
/** A line is read up to this; the rest of a longer one is dropped. */
const MAX_LINE_CHARS = 4096;
/** The lines kept for a message, and how much of each. */
const LAST_LINES = 12;
const LAST_LINE_CHARS = 300;
/** From SIGTERM to SIGKILL, and then how long to wait for the exit. */
const STOP_GRACE_MS = 3000;
const KILL_WAIT_MS = 2000;
/** How often a stop looks whether the group is gone (a group has no exit event to wait for). */
const GROUP_POLL_MS = 25;

export interface RunningTunnel {
  pid: number;
  /** Resolves with the public URL; rejects with a TunnelError (missing, failed, exited, deadline). */
  publicUrl: Promise<string>;
  /** Resolves when the program has exited, with how it ended. */
  exited: Promise<string>;
  /** Its last lines of output, control characters escaped, for a message. */
  lastLines: () => string;
  /** Stops it (and its process group); resolves once it has exited. Safe to call twice. */
  stop: () => Promise<void>;
}

/** The environment the program gets: the user's, without anything of anchor's (key, secrets, settings). */
export function tunnelEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !/^ANCHOR/i.test(k)) out[k] = v;
  return out;
}

/** The URL deadline: the constant, or a shorter one from ANCHOR_TUNNEL_URL_DEADLINE_MS (for the tests). */
export function urlDeadline(env: Record<string, string | undefined>): number {
  const n = Number(env.ANCHOR_TUNNEL_URL_DEADLINE_MS);
  return Number.isInteger(n) && n >= 50 && n <= URL_DEADLINE_MS ? n : URL_DEADLINE_MS;
}

export function startTunnelProgram(
  program: TunnelProgram,
  env: Record<string, string | undefined>,
  deadlineMs = URL_DEADLINE_MS,
): RunningTunnel {
  const child = spawn(program.file, program.args, {
    env: tunnelEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own group: Ctrl-C in the terminal reaches anchor alone, which deletes the webhook first
    // and then stops the tunnel; and a `sh -c` command's children are stopped with it.
    detached: true,
  });
  const last: string[] = [];
  let read = 0;
  let found = false;
  let settle: { resolve: (url: string) => void; reject: (e: Error) => void } | undefined;
  const publicUrl = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  // A caller that stops early (Ctrl-C while waiting) may never await it.
  publicUrl.catch(() => {});
  const lastLines = () => last.map((l) => `  ${l}`).join('\n');
  const fail = (message: string, hint: string) => {
    if (found) return;
    found = true;
    clearTimeout(timer);
    settle!.reject(new TunnelError(message, { hint }));
  };
  const withLines = (fix: string) => (last.length ? `Its last lines:\n${lastLines()}\n${fix}` : fix);

  const onLine = (line: string) => {
    last.push(escapeControl(line.length > LAST_LINE_CHARS ? `${line.slice(0, LAST_LINE_CHARS)}…` : line));
    if (last.length > LAST_LINES) last.shift();
    if (found) return;
    const seen = program.read(line);
    if (seen === undefined) return;
    if ('failure' in seen) {
      fail(`${program.label}: ${seen.failure}`, seen.fix);
      return;
    }
    found = true;
    clearTimeout(timer);
    settle!.resolve(seen.url);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    let dropping = false;
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      if (!found) {
        read += chunk.length;
        if (read > MAX_BYTES_BEFORE_URL)
          fail(
            `${program.label} printed over ${MAX_BYTES_BEFORE_URL / 1048576} MiB without a public URL`,
            withLines('Check the command; it must print its public https:// URL.'),
          );
      }
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const p of parts) {
        if (!dropping) onLine(p.replace(/\r$/, '').slice(0, MAX_LINE_CHARS));
        dropping = false;
      }
      if (partial.length > MAX_LINE_CHARS) {
        if (!dropping) onLine(partial.slice(0, MAX_LINE_CHARS));
        dropping = true;
        partial = '';
      }
    });
  }

  const timer = setTimeout(
    () =>
      fail(
        `${program.label} printed no public URL within ${formatDuration(deadlineMs)}`,
        withLines('Check that it can reach its service (network, proxy, firewall), then run this again.'),
      ),
    deadlineMs,
  );
  let exitedWith: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') fail(`${program.file} is not installed (not found on PATH)`, program.installHint);
      else fail(`could not start ${program.file}: ${escapeControl(err.message)}`, program.installHint);
      exitedWith = 'it could not start';
      resolve(exitedWith);
    });
    child.once('exit', (code, signal) => {
      exitedWith = signal ? `it was ended by ${signal}` : `it exited with code ${code}`;
      // Its output is in this hint (with --json too, where nothing else shows it), not above.
      fail(
        `${program.label} ended before it gave a public URL (${exitedWith})`,
        last.length
          ? withLines('Those lines say why it ended: fix that, then run this again.')
          : `It printed nothing before it ended: run ${program.name === 'cmd' ? 'the command' : `\`${program.file}\``} by hand to see why, then run this again.`,
      );
      resolve(exitedWith);
    });
  });
  void exited.then(() => clearTimeout(timer));

  // The group outlives the program when a child of it runs on: it is signalled until it is empty.
  const pgid = child.pid;
  const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
    if (pgid === undefined) return false;
    try {
      process.kill(-pgid, signal);
      return true;
    } catch (e) {
      // ESRCH: the group is gone. EPERM: a member that is not ours any more (it counts as there).
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const groupGone = () => exitedWith !== undefined && !signalGroup(0);
  // Last resort, when anchor ends by a way that skips its clean-up: no tunnel is left behind.
  const killGroup = () => void signalGroup('SIGKILL');
  process.on('exit', killGroup);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      fail(`${program.label} was stopped before it gave a public URL`, '');
      if (!groupGone()) {
        signalGroup('SIGTERM');
        if (!(await until(groupGone, STOP_GRACE_MS))) {
          signalGroup('SIGKILL');
          await until(groupGone, KILL_WAIT_MS);
        }
      }
      process.off('exit', killGroup);
    })());

  return { pid: child.pid ?? 0, publicUrl, exited, lastLines, stop };
}

/**
 * Whether `done()` holds within `ms`, looked at every GROUP_POLL_MS. Its timers are not unref'd:
 * listen must not end (and say it stopped) while the tunnel's group still runs.
 */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, GROUP_POLL_MS));
  }
  return true;
}
