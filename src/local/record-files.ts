// The delivery record's files: where they live, what they are called, whether they can be trusted,
// and the retention that removes old ones. The writer (record-writer.ts) and the readers
// (record-reader.ts) share these rules; record.ts says what the record is.
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '../errors.js';
import { currentUid, foreignOwner, writableByOthers } from '../lib/ownership.js';

/** Verified requests kept (an HMAC that matched with a fresh timestamp: the owner's). */
export const RETAIN_REQUESTS = 1000;
/** Refused requests kept, apart: a stranger's requests never evict the owner's. */
export const RETAIN_REFUSED = 200;
export const RETAIN_MS = 7 * 24 * 3600 * 1000;

export function stateDir(env: Record<string, string | undefined>): string {
  if (env.ANCHOR_STATE_DIR) return env.ANCHOR_STATE_DIR;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'anchor');
  return join(env.HOME || homedir(), '.local', 'state', 'anchor');
}

export function recordDir(env: Record<string, string | undefined>): string {
  return join(stateDir(env), 'record');
}

/** The two kinds of segment: `seg-` holds verified requests (and forward results), `ref-` refused ones. */
export type SegmentKind = 'seg' | 'ref';
export const SEGMENT = /^(seg|ref)-[0-9a-z]+-[0-9]+-[0-9]+\.ndjson$/;
export const RETAIN_BY_KIND: Record<SegmentKind, number> = { seg: RETAIN_REQUESTS, ref: RETAIN_REFUSED };

export const kindOf = (name: string): SegmentKind => (name.startsWith('ref-') ? 'ref' : 'seg');

/** The segment names in `dir` (none when it does not exist). */
export function segmentNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => SEGMENT.test(f));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

// O_NOFOLLOW: a link planted under a segment's name is refused, not followed.
const NOFOLLOW_READ = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0);
export const NOFOLLOW_APPEND =
  fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT | (fsConstants.O_NOFOLLOW ?? 0);

const untrusted = (what: string, why: string, hint: string) =>
  new CliError(
    `the delivery record ${what} ${why}; anchor does not read or write a record others can plant requests in`,
    {
      hint,
    },
  );

/**
 * Refuses a record folder or file that another user owns, or that others can write: a shared
 * ANCHOR_STATE_DIR would otherwise let them plant deliveries that replay re-signs and sends.
 */
export function checkTrusted(path: string, st: Stats, kind: 'folder' | 'file'): void {
  const elsewhere = 'or point ANCHOR_STATE_DIR at a folder only you can write';
  if (kind === 'folder' ? !st.isDirectory() : !st.isFile())
    throw untrusted(
      `${kind} ${path}`,
      `is not a ${kind === 'folder' ? 'folder' : 'regular file'}`,
      `Move it away, ${elsewhere}.`,
    );
  const owner = foreignOwner(st);
  const uid = currentUid();
  if (owner !== undefined)
    throw untrusted(
      `${kind} ${path}`,
      `belongs to another user (uid ${owner}, you are ${uid})`,
      kind === 'folder'
        ? `If it is yours, take it back: chown -R ${uid} ${path}; ${elsewhere}.`
        : `Remove it (rm ${path}) if you did not record it, or take it back: chown ${uid} ${path}.`,
    );
  if (writableByOthers(st))
    throw untrusted(
      `${kind} ${path}`,
      `can be written by other users (mode ${(st.mode & 0o7777).toString(8)})`,
      `Fix it with: chmod ${kind === 'folder' ? '700' : '600'} ${path}; ${elsewhere}.`,
    );
}

/**
 * Checks the state folder and the record folder (when they exist). Returns false when there is no
 * record folder yet.
 */
export function checkRecordFolders(env: Record<string, string | undefined>): boolean {
  const state = stateDir(env);
  const dir = recordDir(env);
  // Followed: ANCHOR_STATE_DIR may be a link (macOS's /tmp is one); what it points at is checked.
  const stateStat = statSync(state, { throwIfNoEntry: false });
  if (!stateStat) return false;
  checkTrusted(state, stateStat, 'folder');
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (!dirStat) return false;
  checkTrusted(dir, dirStat, 'folder');
  return true;
}

/** Checks one segment without following a link; `undefined` when it is gone (retention removed it). */
export function lstatSegment(path: string): Stats | undefined {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (st) checkTrusted(path, st, 'file');
  return st;
}

/** Opens a segment for reading, refusing a link or a file that is not trusted; `undefined` when gone. */
export function openSegment(path: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, NOFOLLOW_READ);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP')
      throw untrusted(
        `file ${path}`,
        'is a symbolic link',
        `Remove it (rm ${path}), or point ANCHOR_STATE_DIR at a folder only you can write.`,
      );
    throw e;
  }
  try {
    checkTrusted(path, fstatSync(fd), 'file');
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  return fd;
}

const REQ_MARK = Buffer.from('{"k":"req"');

/**
 * How many requests a segment holds: its `{"k":"req"` marks (inside a JSON string those characters
 * would be escaped), read in chunks (a segment is never loaded whole).
 */
function countRequests(path: string): number {
  const fd = openSync(path, NOFOLLOW_READ);
  const buf = Buffer.alloc(1 << 16);
  let n = 0;
  let carry = 0;
  try {
    for (;;) {
      const read = readSync(fd, buf, carry, buf.length - carry, null);
      const end = carry + read;
      for (let i = buf.indexOf(REQ_MARK); i !== -1 && i + REQ_MARK.length <= end; i = buf.indexOf(REQ_MARK, i + 1)) n++;
      if (read === 0) break;
      // Keep the tail that could be the start of a mark cut by the chunk's end.
      carry = Math.min(REQ_MARK.length - 1, end);
      buf.copy(buf, 0, end - carry, end);
      buf.fill(0, carry);
    }
  } finally {
    closeSync(fd);
  }
  return n;
}

// A closed segment never changes: its count is remembered by size and time, so retention at each
// rotation reads only the segments written since the last one.
const counted = new Map<string, { size: number; mtimeMs: number; n: number }>();
function requestsIn(path: string, st: Stats): number {
  const c = counted.get(path);
  if (c && c.size === st.size && c.mtimeMs === st.mtimeMs) return c.n;
  const n = countRequests(path);
  counted.set(path, { size: st.size, mtimeMs: st.mtimeMs, n });
  return n;
}

/**
 * Drops what the retention rules say goes, for one kind of segment (both when not given): whole
 * segments older than 7 days, and segments past the newest 1,000 verified (200 refused) requests.
 * Newest means last written (mtime), so a long-running `listen`'s open segment is not removed
 * because another run started later. Files that fail the trust check are left alone here (the
 * writer refused them when it opened; this runs between requests and must not throw).
 */
export function applyRetention(dir: string, nowMs: number, only?: SegmentKind): void {
  for (const name of dropNames(dir)) {
    const path = join(dir, name);
    try {
      const st = lstatSegment(path);
      if (st && nowMs - st.mtimeMs > RETAIN_MS) unlinkSync(path);
    } catch {
      // Untrusted (the readers refuse it) or removed by another run.
    }
  }
  const byKind: Record<SegmentKind, Array<{ path: string; st: Stats }>> = { seg: [], ref: [] };
  for (const name of segmentNames(dir)) {
    const kind = kindOf(name);
    if (only && kind !== only) continue;
    const path = join(dir, name);
    let st: Stats | undefined;
    try {
      st = lstatSegment(path);
    } catch {
      continue;
    }
    if (st) byKind[kind].push({ path, st });
  }
  for (const kind of ['seg', 'ref'] as const) {
    const files = byKind[kind].sort((a, b) => b.st.mtimeMs - a.st.mtimeMs || (a.path < b.path ? 1 : -1));
    let kept = 0;
    for (const { path, st } of files) {
      if (kept >= RETAIN_BY_KIND[kind] || nowMs - st.mtimeMs > RETAIN_MS) {
        try {
          unlinkSync(path);
          counted.delete(path);
        } catch {
          // Another run removed it first.
        }
        continue;
      }
      kept += requestsIn(path, st);
    }
  }
}

/**
 * `received clear` cannot rewrite a segment a running `listen` still appends to (the lines it
 * writes next would go to a file no longer there), so it lists the ids it removed from such a
 * segment in a `drop-` file of its own, which readers honour. Retention removes them with age.
 */
export const DROP = /^drop-[0-9a-z]+-[0-9]+-[0-9]+\.ndjson$/;
/** A drop file is never read past this (a clear writes at most ~1,250 ids, ~25 KiB). */
const DROP_MAX_BYTES = 1024 * 1024;

export function dropNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => DROP.test(f));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** The record ids the drop files hide (a line that does not parse is ignored: the ids stay visible). */
export function hiddenIds(dir: string): Set<string> {
  const ids = new Set<string>();
  for (const name of dropNames(dir)) {
    const fd = openSegment(join(dir, name));
    if (fd === undefined) continue;
    let text: string;
    try {
      const buf = Buffer.alloc(Math.min(fstatSync(fd).size, DROP_MAX_BYTES));
      text = buf.toString('utf8', 0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
    for (const line of text.split('\n')) {
      let v: { k?: unknown; ids?: unknown } | undefined;
      try {
        v = JSON.parse(line) as typeof v;
      } catch {
        continue;
      }
      if (v?.k === 'drop' && Array.isArray(v.ids)) for (const id of v.ids) if (typeof id === 'string') ids.add(id);
    }
  }
  return ids;
}

/** What changed in the record, cheaply: each segment's name and size (for a watcher that polls). */
export function recordStamp(env: Record<string, string | undefined>): string {
  const dir = recordDir(env);
  return segmentNames(dir)
    .sort()
    .map((name) => `${name}:${statSync(join(dir, name), { throwIfNoEntry: false })?.size ?? 0}`)
    .join(',');
}
