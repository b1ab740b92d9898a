// Reads the delivery record: the requests newest first by the time they arrived, across every
// segment and every `listen` run that wrote one, with their forward results merged in.
//
// Every retained segment is read (retention bounds them to about 1,250 verified and 250 refused
// requests), but a line is parsed only when it is returned. Usually the segments are in order
// already, and are walked from the end (record-walk.ts); otherwise each request line's id and
// time are taken from its head (the writer puts them first) and the whole record is sorted. How a
// line is parsed, merged with its forward result and filtered is record-lines.ts's.
import { closeSync, fstatSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkRecordFolders,
  kindOf,
  openSegment,
  RETAIN_BY_KIND,
  RETAIN_MS,
  RETAIN_REFUSED,
  RETAIN_REQUESTS,
  hiddenIds,
  recordDir,
  segmentNames,
  type SegmentKind,
} from './record-files.js';
import {
  addSkipped,
  finish,
  isNewer,
  lineOf,
  parseLine,
  scan,
  sinceIso,
  where,
  type Candidate,
  type LineReadOptions,
  type Scan,
} from './record-lines.js';
import type { RecordedRequest } from './record-types.js';
import { KindWalk, newer, Unordered, type Found, type SegmentText } from './record-walk.js';

export interface ReadOptions extends LineReadOptions {
  limit?: number;
  /** Told, when there are any, how many refused requests the rate limit kept out of the record, and since when. */
  onSkipped?: (count: number, since: string) => void;
  /** Told once, when there are any, how many lines a newer anchor wrote (skipped: their format is unknown here). */
  onNewer?: (count: number) => void;
}

const newestFirst = (a: Candidate, b: Candidate) =>
  a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/** The retained segments' texts, oldest name first (a listing by type needs no refused segment). */
function loadSegments(dir: string, o: ReadOptions): SegmentText[] {
  const out: SegmentText[] = [];
  for (const name of segmentNames(dir).sort()) {
    const kind = kindOf(name);
    // Only a verified request has an event type: a listing by type needs no refused segment.
    if (kind === 'ref' && o.type !== undefined) continue;
    const path = join(dir, name);
    // Opened (and its owner checked) now; its text is read only when a reader needs it.
    const fd = openSegment(path);
    if (fd === undefined) continue;
    let size: number;
    try {
      size = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
    out.push(lazySegment(kind, path, size));
  }
  return out;
}

/** What is read of a segment's ends to place it in time (a request line's head is ~100 bytes). */
const PEEK_BYTES = 16 * 1024;

/** A segment whose text is read on first use; its ends can be read alone. */
function lazySegment(kind: SegmentKind, path: string, size: number): SegmentText {
  let text: string | undefined;
  const read = (position: number, length: number): string => {
    const fd = openSegment(path);
    if (fd === undefined) return '';
    try {
      if (position === 0 && length >= size) return readFileSync(fd, 'utf8');
      const buf = Buffer.alloc(length);
      const n = readSync(fd, buf, 0, length, position);
      return buf.toString('utf8', 0, n);
    } finally {
      closeSync(fd);
    }
  };
  const segment: SegmentText = {
    kind,
    path,
    get text() {
      return (text ??= read(0, size));
    },
    peek(end) {
      if (text !== undefined || size <= PEEK_BYTES) return { text: segment.text, from: 0 };
      return end === 'head'
        ? { text: read(0, PEEK_BYTES), from: 0 }
        : { text: read(size - PEEK_BYTES, PEEK_BYTES), from: size - PEEK_BYTES };
    },
  };
  return segment;
}

/** The usual case, in order without sorting (see record-walk.ts); undefined when it does not apply. */
function readInOrder(segs: SegmentText[], o: ReadOptions, limit: number): RecordedRequest[] | undefined {
  const fwds = new Map<string, { seg: SegmentText; start: number; end: number }>();
  const skipped: Scan['skipped'] = { count: 0, from: '' };
  const since = sinceIso(o);
  // Damaged lines are met from the end: told in file order once the walk is done.
  const damaged: string[] = [];
  const other = (seg: SegmentText, start: number, end: number) => {
    const v = parseLine(seg.text.slice(start, end)) as { k?: unknown } | undefined;
    if (isNewer(v)) return o.countNewer?.();
    if (v?.k === 'skipped') return;
    if (o.onCorrupt) damaged.push(where(lineOf(seg, start, end)));
  };
  const told: ReadOptions = { ...o, ...(o.onCorrupt ? { onCorrupt: (w: string) => damaged.push(w) } : {}) };
  const walks = (['seg', 'ref'] as const).map((kind) =>
    KindWalk.of(
      segs.filter((s) => s.kind === kind),
      fwds,
      other,
    ),
  );
  if (walks.some((w) => w === undefined)) return undefined;
  // The refused segments' counts of skipped refusals, wherever they are.
  if (o.onSkipped)
    for (const seg of segs) {
      if (seg.kind !== 'ref') continue;
      for (let i = seg.text.indexOf(SKIPPED_HEAD); i !== -1; i = seg.text.indexOf(SKIPPED_HEAD, i + 1)) {
        if (i > 0 && seg.text.charCodeAt(i - 1) !== 0x0a) continue;
        const end = seg.text.indexOf('\n', i);
        addSkipped((parseLine(seg.text.slice(i, end === -1 ? undefined : end)) ?? {}) as object, since, skipped);
      }
    }
  if (skipped.count > 0) o.onSkipped?.(skipped.count, skipped.from);
  const heads: Array<Found | undefined> = walks.map((w) => w!.next());
  const counted = { seg: 0, ref: 0 };
  const out: RecordedRequest[] = [];
  while (out.length < limit) {
    const pick = heads[0] && (!heads[1] || newer(heads[0], heads[1])) ? 0 : heads[1] ? 1 : -1;
    if (pick === -1) break;
    const f = heads[pick]!;
    heads[pick] = ++counted[f.kind] >= RETAIN_BY_KIND[f.kind] ? undefined : walks[pick]!.next();
    // Newest first: past the window (or --since), everything else is older still. Both times are
    // toISOString's, so they compare as strings.
    if (f.at < since) break;
    const fl = fwds.get(f.id);
    const r = finish(
      { id: f.id, at: f.at, line: lineOf(f.seg, f.start, f.end) },
      fl ? lineOf(fl.seg, fl.start, fl.end) : undefined,
      told,
    );
    if (r) out.push(r);
  }
  for (const w of damaged.reverse()) o.onCorrupt?.(w);
  return out;
}

const SKIPPED_HEAD = '{"k":"skipped"';

/** The recorded requests, newest first (by arrival, then id), with their forward results merged in. */
export function readRecords(env: Record<string, string | undefined>, given: ReadOptions): RecordedRequest[] {
  if (!checkRecordFolders(env)) return [];
  const dir = recordDir(env);
  let newer = 0;
  const o: ReadOptions = { ...given, countNewer: () => void newer++, hidden: hiddenIds(dir) };
  try {
    return readAll(dir, o);
  } finally {
    if (newer > 0) given.onNewer?.(newer);
  }
}

function readAll(dir: string, o: ReadOptions): RecordedRequest[] {
  const limit = Math.min(o.limit ?? Infinity, RETAIN_REQUESTS + RETAIN_REFUSED);
  const segs = loadSegments(dir, o);
  try {
    const ordered = readInOrder(segs, o, limit);
    if (ordered) return ordered;
  } catch (e) {
    if (!(e instanceof Unordered)) throw e;
  }
  const { requests, fwds, skipped } = scan(segs, o);
  if (skipped.count > 0) o.onSkipped?.(skipped.count, skipped.from);
  // Each kind within its own budget, then the two merged by time.
  const kept = (['seg', 'ref'] as const).flatMap((kind) =>
    requests[kind].sort(newestFirst).slice(0, RETAIN_BY_KIND[kind]),
  );
  kept.sort(newestFirst);
  const out: RecordedRequest[] = [];
  for (const c of kept) {
    if (out.length >= limit) break;
    const at = Date.parse(c.at);
    // Newest first: past the window, everything else is older still.
    if (!(o.nowMs - at <= RETAIN_MS)) break;
    if (o.since !== undefined && at < o.since) break;
    const r = finish(c, fwds.get(c.id), o);
    if (r) out.push(r);
  }
  return out;
}

export function findRecord(
  env: Record<string, string | undefined>,
  id: string,
  o: Pick<ReadOptions, 'nowMs' | 'onCorrupt' | 'onNewer'>,
): RecordedRequest | undefined {
  return readRecords(env, { ...o, withBodies: (r) => r === id }).find((r) => r.id === id);
}
