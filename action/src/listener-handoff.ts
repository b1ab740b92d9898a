// What the start step hands on about the listener it left running: to its own post (GITHUB_STATE)
// and to a later wait step (GITHUB_ENV, as ANCHOR_ACTION_LISTENER). Read back as untrusted text: a
// later step can rewrite the job's environment.
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ActionError } from './runner.js';

/** The environment variable a wait step finds the listener by. */
export const LISTENER_ENV = 'ANCHOR_ACTION_LISTENER';
/** The state name the post step finds it by (the runner passes it as STATE_listener). */
export const LISTENER_STATE = 'listener';

export interface ListenerHandoff {
  v: 1;
  /** The supervisor: it runs `listen` as its child, forwards signals to it and records its end. */
  pid: number;
  /** `listen --ready-file`: written once deliveries are accepted. */
  ready_file: string;
  stdout_file: string;
  stderr_file: string;
  /** `{"code", "signal"}` of listen, written by the supervisor when listen exits. */
  exit_file: string;
  /** How much of stderr_file a step has shown already (the next shows the rest). */
  stderr_shown?: number;
}

const FILES = ['ready_file', 'stdout_file', 'stderr_file', 'exit_file'] as const;

export function parseHandoff(text: string, source: string): ListenerHandoff {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ActionError(`${source} is not the JSON the start step wrote`, 'Do not set it yourself.');
  }
  const v = value as Partial<Record<keyof ListenerHandoff, unknown>>;
  const ok =
    typeof value === 'object' &&
    value !== null &&
    v.v === 1 &&
    Number.isSafeInteger(v.pid) &&
    (v.pid as number) > 1 &&
    FILES.every((f) => typeof v[f] === 'string' && isAbsolute(v[f] as string)) &&
    (v.stderr_shown === undefined || (Number.isSafeInteger(v.stderr_shown) && (v.stderr_shown as number) >= 0));
  if (!ok) throw new ActionError(`${source} is not the JSON the start step wrote`, 'Do not set it yourself.');
  return value as ListenerHandoff;
}

export interface ListenerExit {
  code: number | null;
  signal: string | null;
}

/** listen's end as the supervisor wrote it, or undefined while it runs. */
export function parseExit(text: string): ListenerExit | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<ListenerExit>;
    return {
      code: typeof v.code === 'number' ? v.code : null,
      signal: typeof v.signal === 'string' ? v.signal : null,
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether a process of this id runs. A process that ended but was not reaped yet (a zombie: the
 * supervisor's parent, the start step, is gone, and a container's init may be slow to reap) has
 * ended; Linux says so in /proc. EPERM means it exists but is not ours to signal.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): the signal's answer stands
  }
}
