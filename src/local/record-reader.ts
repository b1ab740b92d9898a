// Reads the delivery record: the requests newest first by the time they arrived, across every
// segment and every `listen` run that wrote one, with their forward results merged in.
//
// Every retained segment is read (retention bounds them to about 1,250 verified and 250 refused
// requests), but a line is parsed only when it is returned: a request line's id and time are taken
// from its head (the writer puts them first) to order it, and the body of a listing is never decoded.
import { closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkRecordFolders,
  kindOf,
  openSegment,
  RETAIN_BY_KIND,
  RETAIN_MS,
  RETAIN_REFUSED,
  RETAIN_REQUESTS,
  recordDir,
  segmentNames,
  type SegmentKind,
} from './record-files.js';
import type { ForwardResult, RecordedRequest } from './record-types.js';

export interface ReadOptions {
  nowMs: number;
  since?: number;
  type?: string;
  refused?: boolean;
  limit?: number;
  /** Told about each line that could not be read (path and line number), which is skipped. */
  onCorrupt?: (where: string) => void;
  /** Keep the bodies (show, replay), of all or of those chosen; a listing drops them as it goes. */
  withBodies?: boolean | ((id: string) => boolean);
  /** Told, when there are any, how many refused requests the rate limit kept out of the record, and since when. */
  onSkipped?: (count: number, since: string) => void;
}

/** A line of a segment, by place. */
interface Line {
  text: string;
  start: number;
  end: number;
  path: string;
  n: number;
}
const lineText = (l: Line) => l.text.slice(l.start, l.end);
const where = (l: Line) => `${l.path}:${l.n}`;

interface Candidate {
  at: string;
  id: string;
  line: Line;
  parsed?: RecordedRequest & { k?: string };
}

// `{"k":"req","id":"…","received_at":"…"` as the writer lays it out (an id has no quote or
// backslash, a time is toISOString's 24 characters); any other layout is parsed.
const REQ_HEAD = '{"k":"req","id":"';
const RECEIVED_AT = '","received_at":"';
const ISO_LENGTH = 24;
const FWD_HEAD = '{"k":"fwd","id":"';

const newestFirst = (a: Candidate, b: Candidate) =>
  a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

function parse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

const isRequest = (v: unknown): v is RecordedRequest & { k: string } => {
  const r = v as Partial<RecordedRequest> & { k?: unknown };
  return (
    r?.k === 'req' && typeof r.id === 'string' && typeof r.received_at === 'string' && typeof r.body_b64 === 'string'
  );
};

interface Scan {
  requests: Record<SegmentKind, Candidate[]>;
  fwds: Map<string, Line>;
  skipped: { count: number; from: string };
}

function scan(env: Record<string, string | undefined>, o: ReadOptions): Scan {
  const found: Scan = { requests: { seg: [], ref: [] }, fwds: new Map(), skipped: { count: 0, from: '' } };
  if (!checkRecordFolders(env)) return found;
  const dir = recordDir(env);
  const oldest = new Date(o.nowMs - RETAIN_MS).toISOString();
  const since = o.since === undefined ? oldest : new Date(Math.max(o.since, o.nowMs - RETAIN_MS)).toISOString();
  for (const name of segmentNames(dir).sort()) {
    const kind = kindOf(name);
    // Only a verified request has an event type: a listing by type needs no refused segment.
    if (kind === 'ref' && o.type !== undefined) continue;
    const path = join(dir, name);
    const fd = openSegment(path);
    if (fd === undefined) continue;
    let text: string;
    try {
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
    // Walked by offsets: a line becomes a string only when it is parsed.
    for (let start = 0, n = 1; start < text.length; n++) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      const at = start;
      start = end + 1;
      if (end === at) continue;
      const line = { text, start: at, end, path, n };
      // A line cut by a crash has no closing brace: parsed below, and reported.
      const whole = text.charCodeAt(end - 1) === 0x7d;
      if (whole && text.startsWith(REQ_HEAD, at)) {
        const idEnd = text.indexOf('"', at + REQ_HEAD.length);
        const timeAt = idEnd + RECEIVED_AT.length;
        if (idEnd !== -1 && text.startsWith(RECEIVED_AT, idEnd) && text.charCodeAt(timeAt + ISO_LENGTH) === 0x22) {
          const id = text.slice(at + REQ_HEAD.length, idEnd);
          found.requests[kind].push({ id, at: text.slice(timeAt, timeAt + ISO_LENGTH), line });
          continue;
        }
      }
      if (whole && text.startsWith(FWD_HEAD, at)) {
        const idEnd = text.indexOf('"', at + FWD_HEAD.length);
        if (idEnd !== -1) {
          found.fwds.set(text.slice(at + FWD_HEAD.length, idEnd), line);
          continue;
        }
      }
      const v = parse(lineText(line)) as { k?: unknown; count?: unknown; from?: unknown; to?: unknown; id?: unknown };
      if (isRequest(v)) found.requests[kind].push({ id: v.id, at: v.received_at, line, parsed: v });
      else if (v?.k === 'fwd' && typeof v.id === 'string') found.fwds.set(v.id, line);
      else if (v?.k === 'skipped' && typeof v.count === 'number' && typeof v.from === 'string') {
        if (typeof v.to === 'string' && v.to < since) continue;
        found.skipped.count += v.count;
        if (!found.skipped.from || v.from < found.skipped.from) found.skipped.from = v.from;
      } else o.onCorrupt?.(where(line));
    }
  }
  return found;
}

/** The recorded requests, newest first (by arrival, then id), with their forward results merged in. */
export function readRecords(env: Record<string, string | undefined>, o: ReadOptions): RecordedRequest[] {
  const limit = Math.min(o.limit ?? Infinity, RETAIN_REQUESTS + RETAIN_REFUSED);
  const { requests, fwds, skipped } = scan(env, o);
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
    const v = c.parsed ?? parse(lineText(c.line));
    if (!isRequest(v)) {
      o.onCorrupt?.(where(c.line));
      continue;
    }
    const { k: _k, ...r } = v as RecordedRequest & { k: string };
    const keep = typeof o.withBodies === 'function' ? o.withBodies(r.id) : o.withBodies === true;
    if (!keep) r.body_b64 = '';
    const fl = fwds.get(r.id);
    const fv = fl ? (parse(lineText(fl)) as (ForwardResult & { k?: string; id?: string }) | undefined) : undefined;
    if (fl && fv?.k !== 'fwd') o.onCorrupt?.(where(fl));
    let full: RecordedRequest = r;
    if (fv?.k === 'fwd') {
      const { k: _fk, id: _id, ...f } = fv;
      full = { ...r, forward: f, status: f.error ? 502 : f.status };
    }
    if (o.type !== undefined && full.event_type !== o.type) continue;
    if (o.refused && full.verdict !== 'refused') continue;
    out.push(full);
  }
  return out;
}

export function findRecord(
  env: Record<string, string | undefined>,
  id: string,
  o: Pick<ReadOptions, 'nowMs' | 'onCorrupt'>,
): RecordedRequest | undefined {
  return readRecords(env, { ...o, withBodies: (r) => r === id }).find((r) => r.id === id);
}
