// `received clear`: removes records (all, the refused ones, or those older than a time) without
// ever leaving a segment half-written, even while a `listen` appends to the same folder:
//
// - a segment whose writer is gone is removed whole (unlink), or rewritten without the removed
//   lines into a new file that is renamed over it (readers see the old file or the new one);
// - a segment whose writer still runs (its pid, in the name, is alive) is not touched, since the
//   lines it writes next would go to a file no longer there: the ids removed from it are listed in
//   a `drop-` file of this run's own, which readers honour (record-files.ts).
import { closeSync, fstatSync, openSync, readSync, renameSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
import { checkRecordFolders, hiddenIds, openSegment, recordDir, segmentNames } from './record-files.js';
import { isNewer, parseLine } from './record-lines.js';
import { RECORD_FORMAT } from './record-types.js';

export interface ClearFilter {
  /** Only refused requests. */
  refused?: boolean;
  /** Only those received before this time (ms). */
  beforeMs?: number;
}

/** Whether the process that wrote a segment (pid in its name) still runs; this process counts as running. */
function writerRuns(name: string): boolean {
  const pid = Number(name.split('-')[2]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readWhole(path: string): { text: string; mtime: Date } | undefined {
  const fd = openSegment(path);
  if (fd === undefined) return undefined;
  try {
    const st = fstatSync(fd);
    const buf = Buffer.alloc(st.size);
    const n = readSync(fd, buf, 0, st.size, 0);
    return { text: buf.toString('utf8', 0, n), mtime: st.mtime };
  } finally {
    closeSync(fd);
  }
}

interface Line {
  k?: unknown;
  id?: unknown;
  received_at?: unknown;
  verdict?: unknown;
  to?: unknown;
}

/** Which lines of a segment go: requests the filter matches, their answers, and counts of skipped refusals. */
function sortLines(text: string, f: ClearFilter) {
  const before = f.beforeMs === undefined ? undefined : new Date(f.beforeMs).toISOString();
  const lines = text.split('\n').filter((l) => l.length > 0);
  const parsed = lines.map((l) => parseLine(l) as Line | undefined);
  const gone = new Set<string>();
  for (const v of parsed) {
    if (v?.k !== 'req' || isNewer(v) || typeof v.id !== 'string' || typeof v.received_at !== 'string') continue;
    if (f.refused && v.verdict !== 'refused') continue;
    if (before !== undefined && !(v.received_at < before)) continue;
    gone.add(v.id);
  }
  const keep = lines.filter((_, i) => {
    const v = parsed[i];
    // A damaged line or another version's is kept: only what is understood is removed.
    if (!v || isNewer(v)) return true;
    if (v.k === 'req' || v.k === 'fwd') return !(typeof v.id === 'string' && gone.has(v.id));
    if (v.k === 'skipped') return !(before === undefined || (typeof v.to === 'string' && v.to < before));
    return true;
  });
  return { gone, keep, all: lines.length };
}

let part = 0;
const NEW_FILE = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | (fsConstants.O_NOFOLLOW ?? 0);

function writeNew(path: string, text: string): void {
  const fd = openSync(path, NEW_FILE, 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes the records the filter matches; `dryRun` only counts them (for the confirmation).
 * Returns how many were removed (or would be).
 */
export function clearRecords(
  env: Record<string, string | undefined>,
  f: ClearFilter,
  o: { nowMs: number; dryRun?: boolean },
): number {
  if (!checkRecordFolders(env)) return 0;
  const dir = recordDir(env);
  const hidden = hiddenIds(dir);
  const drop: string[] = [];
  let removed = 0;
  for (const name of segmentNames(dir).sort()) {
    const path = join(dir, name);
    const seg = readWhole(path);
    if (!seg) continue;
    const { gone, keep, all } = sortLines(seg.text, f);
    const fresh = [...gone].filter((id) => !hidden.has(id));
    removed += fresh.length;
    if (o.dryRun || keep.length === all) continue;
    if (writerRuns(name)) {
      drop.push(...fresh);
      continue;
    }
    if (keep.length === 0) {
      unlinkSync(path);
      continue;
    }
    part++;
    const tmp = join(dir, `.clear-${process.pid}-${part}.tmp`);
    writeNew(tmp, `${keep.join('\n')}\n`);
    // Its age stays the segment's: retention goes by it.
    utimesSync(tmp, seg.mtime, seg.mtime);
    renameSync(tmp, path);
  }
  if (drop.length) {
    part++;
    writeNew(
      join(dir, `drop-${o.nowMs.toString(36).padStart(9, '0')}-${process.pid}-${part}.ndjson`),
      `${JSON.stringify({ k: 'drop', v: RECORD_FORMAT, ids: drop })}\n`,
    );
  }
  return removed;
}
