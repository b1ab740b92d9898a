// While `listen` runs it keeps a state file, `<state>/listeners/<pid>.json` (0600), saying where it
// listens and which public URL reaches it, so that `anchor doctor` (and whatever else needs a
// running listener) can find it; it is removed on exit. The file also holds the run's probe token:
// a request to the listener's health path that carries it is answered, so a process that can read
// the file (its owner) can prove that a URL reaches *this* listener, and a stranger learns nothing.
//
// The files are written by anchor but read back as hostile: a link, another user's file or one
// readable by others, an oversized or malformed file is skipped, never trusted; a listener that
// died without cleaning up (its pid gone) is reported as such.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { foreignOwner, writableByOthers } from '../lib/ownership.js';
import { othersMayTouch, readPrivateFile, replacePrivateFile } from '../lib/private-file.js';
import { stateDir } from './record-files.js';

/** The path, on every listener, that answers a request carrying a probe token it knows. */
export const HEALTH_PATH = '/.anchor/health';
/** A state file is a few hundred bytes; anything larger is not one anchor wrote. */
const MAX_FILE_BYTES = 4096;
/** The most state files read (a folder full of them is noise, not listeners). */
const MAX_FILES = 64;
const FILE = /^([1-9][0-9]{0,9})\.json$/;
const TOKEN = /^[0-9a-f]{32}$/;

/** What a running listener says of itself. */
export interface ListenState {
  v: 1;
  pid: number;
  /** The local receiver: where deliveries (and the health path) are served. */
  url: string;
  port: number;
  /** The public URL a temporary webhook delivers to (--register or a tunnel's), else null. */
  public_url: string | null;
  /** The tunnel program that made public_url (cloudflared, ngrok, ssh, cmd), else null. */
  tunnel: string | null;
  /** Where verified deliveries are forwarded, if anywhere. */
  forward_to: string | null;
  /**
   * The pid of the tunnel program it started (the leader of its process group), so that a later
   * run can say when it outlived a listener killed without clean-up (kill -9). Absent without one.
   */
  tunnel_pid?: number;
  /** The token a health request must carry to be answered. */
  probe: string;
  started_at: string;
}

/** A state file found on disk, and whether its process still runs. */
export interface FoundListener {
  state: ListenState;
  path: string;
  alive: boolean;
}

export function listenersDir(env: Record<string, string | undefined>): string {
  return join(stateDir(env), 'listeners');
}

/** A fresh probe token (128 random bits, hex). */
export const newProbeToken = (): string => randomBytes(16).toString('hex');

/** Whether `given` is `token`, compared in constant time. */
export function isProbeToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The probe token in a health request's query (`?probe=…`), if it has one of the right shape. */
export function probeOf(requestUrl: string): string | undefined {
  const q = requestUrl.indexOf('?');
  if (q < 0) return undefined;
  const value = new URLSearchParams(requestUrl.slice(q + 1)).get('probe');
  return value !== null && TOKEN.test(value) ? value : undefined;
}

/** The URL that asks the listener at `base` (its local or public URL) to answer `probe`. */
export function healthUrl(base: string, probe: string): string {
  return new URL(`${HEALTH_PATH}?probe=${probe}`, base).toString();
}

/**
 * Writes this process's state file and returns its path; undefined when it could not be written
 * (listening goes on: the file is for other commands to find it, not a reason to stop).
 */
export function writeListenState(env: Record<string, string | undefined>, state: ListenState): string | undefined {
  try {
    const dir = listenersDir(env);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (!st.isDirectory() || foreignOwner(st) !== undefined || writableByOthers(st)) return undefined;
    const path = join(dir, `${state.pid}.json`);
    replacePrivateFile(path, `${JSON.stringify(state)}\n`);
    return path;
  } catch {
    return undefined;
  }
}

/** Removes the state file written by writeListenState (a file already gone is fine). */
export function removeListenState(path: string | undefined): void {
  if (path === undefined) return;
  try {
    unlinkSync(path);
  } catch {
    // Gone already, or the folder went away: nothing is left to say it runs.
  }
}

/** The listeners' state files, newest first; files that are not what anchor wrote are skipped. */
export function findListeners(env: Record<string, string | undefined>): FoundListener[] {
  const dir = listenersDir(env);
  let names: string[];
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory() || foreignOwner(st) !== undefined || writableByOthers(st)) return [];
    names = readdirSync(dir).filter((n) => FILE.test(n));
  } catch {
    return [];
  }
  const found: FoundListener[] = [];
  for (const name of names.slice(0, MAX_FILES)) {
    const path = join(dir, name);
    const state = readState(path, Number(FILE.exec(name)![1]));
    if (state) found.push({ state, path, alive: isRunning(state.pid) });
  }
  return found.sort((a, b) => b.state.started_at.localeCompare(a.state.started_at));
}

function readState(path: string, pid: number): ListenState | undefined {
  try {
    const kept = readPrivateFile(path, MAX_FILE_BYTES, (st) => {
      if (!st.isFile() || foreignOwner(st) !== undefined || othersMayTouch(st)) throw new Error('not ours');
    });
    if (kept.kind !== 'file' || kept.over) return undefined;
    return parseState(JSON.parse(kept.text) as unknown, pid);
  } catch {
    return undefined;
  }
}

const httpUrl = (v: unknown): v is string => {
  if (typeof v !== 'string' || v.length > 2048) return false;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};
const orNull = (v: unknown, ok: (v: unknown) => boolean) => v === null || ok(v);
const shortWord = (v: unknown) => typeof v === 'string' && /^[a-z0-9-]{1,32}$/.test(v);

/** The state in a parsed file, when every field is what anchor writes and its pid is the file's name. */
export function parseState(raw: unknown, pid: number): ListenState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const s = raw as Record<string, unknown>;
  const ok =
    s.v === 1 &&
    s.pid === pid &&
    httpUrl(s.url) &&
    Number.isInteger(s.port) &&
    (s.port as number) > 0 &&
    (s.port as number) < 65536 &&
    orNull(s.public_url, httpUrl) &&
    orNull(s.tunnel, shortWord) &&
    orNull(s.forward_to, httpUrl) &&
    typeof s.probe === 'string' &&
    TOKEN.test(s.probe) &&
    typeof s.started_at === 'string' &&
    !Number.isNaN(Date.parse(s.started_at)) &&
    (s.tunnel_pid === undefined || (isPid(s.tunnel_pid) && s.tunnel !== null && s.tunnel_pid !== pid));
  if (!ok) return undefined;
  return {
    v: 1,
    pid,
    url: s.url as string,
    port: s.port as number,
    public_url: s.public_url as string | null,
    tunnel: s.tunnel as string | null,
    forward_to: s.forward_to as string | null,
    probe: s.probe as string,
    started_at: s.started_at as string,
    ...(s.tunnel_pid !== undefined ? { tunnel_pid: s.tunnel_pid as number } : {}),
  };
}

/** A pid as the kernel gives them: a positive integer (Linux's limit is 2^22, others stay under 2^31). */
const isPid = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 1 && (v as number) < 2 ** 31;

/** Whether a process with this pid runs (one of another user's counts: it exists). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
