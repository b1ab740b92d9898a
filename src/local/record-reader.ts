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

interface Candidate {
  at: string;
  id: string;
  line: string;
  where: string;
  parsed?: RecordedRequest & { k?: string };
}

// `{"k":"req","id":"…","received_at":"…"` as the writer lays it out; any other layout is parsed.
const REQ_HEAD = /^\{"k":"req","id":"([^"\\]+)","received_at":"([^"\\]+)"/;
const FWD_HEAD = /^\{"k":"fwd","id":"([^"\\]+)"/;

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
  fwds: Map<string, { line: string; where: string }>;
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
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!;
      if (line === '') continue;
      const where = `${path}:${n + 1}`;
      const head = REQ_HEAD.exec(line);
      // A line cut by a crash has no closing brace: parsed below, and reported.
      if (head && line.endsWith('}')) {
        found.requests[kind].push({ id: head[1]!, at: head[2]!, line, where });
        continue;
      }
      const fwd = FWD_HEAD.exec(line);
      if (fwd && line.endsWith('}')) {
        found.fwds.set(fwd[1]!, { line, where });
        continue;
      }
      const v = parse(line) as { k?: unknown; count?: unknown; from?: unknown; to?: unknown; id?: unknown };
      if (isRequest(v)) found.requests[kind].push({ id: v.id, at: v.received_at, line, where, parsed: v });
      else if (v?.k === 'fwd' && typeof v.id === 'string') found.fwds.set(v.id, { line, where });
      else if (v?.k === 'skipped' && typeof v.count === 'number' && typeof v.from === 'string') {
        if (typeof v.to === 'string' && v.to < since) continue;
        found.skipped.count += v.count;
        if (!found.skipped.from || v.from < found.skipped.from) found.skipped.from = v.from;
      } else o.onCorrupt?.(where);
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
    const v = c.parsed ?? parse(c.line);
    if (!isRequest(v)) {
      o.onCorrupt?.(c.where);
      continue;
    }
    const { k: _k, ...r } = v as RecordedRequest & { k: string };
    const keep = typeof o.withBodies === 'function' ? o.withBodies(r.id) : o.withBodies === true;
    if (!keep) r.body_b64 = '';
    const fl = fwds.get(r.id);
    const fv = fl ? (parse(fl.line) as (ForwardResult & { k?: string; id?: string }) | undefined) : undefined;
    if (fl && fv?.k !== 'fwd') o.onCorrupt?.(fl.where);
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
