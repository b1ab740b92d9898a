// The record's lines, one at a time: where a line is (for a report of damage), a request line
// parsed and returned with its forward result merged in and the filters applied, and the general
// scan of every line of every segment, in any order, that the reader sorts when the segments are
// not in order already (record-reader.ts).
import { RETAIN_MS, type SegmentKind } from './record-files.js';
import { RECORD_FORMAT, type ForwardResult, type RecordedRequest } from './record-types.js';
import { forwardHead, requestHead, type SegmentText } from './record-walk.js';

/** What of the reader's options a line is read and filtered by. */
export interface LineReadOptions {
  nowMs: number;
  since?: number;
  type?: string;
  refused?: boolean;
  /** Told about each line that could not be read (path and line number), which is skipped. */
  onCorrupt?: (where: string) => void;
  /** Keep the bodies (show, replay), of all or of those chosen; a listing drops them as it goes. */
  withBodies?: boolean | ((id: string) => boolean);
  /** Told about each line a newer anchor wrote (a higher format version), which is skipped. */
  countNewer?: () => void;
  /** Keeps only the records this accepts (applied before the limit). */
  where?: (r: RecordedRequest) => boolean;
  /** Record ids `received clear` removed from segments a running writer still holds. */
  hidden?: ReadonlySet<string>;
}

/** A line of a format newer than this build reads: skipped, and counted. */
export const isNewer = (v: unknown): boolean => {
  const version = (v as { v?: unknown } | undefined)?.v;
  return typeof version === 'number' && version > RECORD_FORMAT;
};

/** A line of a segment, by place. */
export interface Line {
  text: string;
  start: number;
  end: number;
  path: string;
  n: number;
}
export const lineText = (l: Line) => l.text.slice(l.start, l.end);
/** Where a line is, as `path:number`; a line found from the end has its number counted here. */
export function where(l: Line): string {
  let n = l.n;
  if (n === 0) {
    n = 1;
    for (let i = l.text.indexOf('\n'); i !== -1 && i < l.start; i = l.text.indexOf('\n', i + 1)) n++;
  }
  return `${l.path}:${n}`;
}

export interface Candidate {
  at: string;
  id: string;
  line: Line;
  parsed?: RecordedRequest & { k?: string };
}

export function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

export const isRequest = (v: unknown): v is RecordedRequest & { k: string } => {
  const r = v as Partial<RecordedRequest> & { k?: unknown };
  return (
    r?.k === 'req' && typeof r.id === 'string' && typeof r.received_at === 'string' && typeof r.body_b64 === 'string'
  );
};

export interface Scan {
  requests: Record<SegmentKind, Candidate[]>;
  fwds: Map<string, Line>;
  skipped: { count: number; from: string };
}

export const sinceIso = (o: LineReadOptions) =>
  new Date(o.since === undefined ? o.nowMs - RETAIN_MS : Math.max(o.since, o.nowMs - RETAIN_MS)).toISOString();

/** A count of refusals not recorded, unless it ended before the time asked for. */
export function addSkipped(
  v: { count?: unknown; from?: unknown; to?: unknown },
  since: string,
  into: Scan['skipped'],
): void {
  if (typeof v.count !== 'number' || typeof v.from !== 'string') return;
  if (typeof v.to === 'string' && v.to < since) return;
  into.count += v.count;
  if (!into.from || v.from < into.from) into.from = v.from;
}

/** Every line of every segment, sorted out (the general case: any order, any layout). */
export function scan(segs: SegmentText[], o: LineReadOptions): Scan {
  const found: Scan = { requests: { seg: [], ref: [] }, fwds: new Map(), skipped: { count: 0, from: '' } };
  const since = sinceIso(o);
  for (const { kind, path, text } of segs) {
    // Walked by offsets: a line becomes a string only when it is parsed.
    for (let start = 0, n = 1; start < text.length; n++) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      const at = start;
      start = end + 1;
      if (end === at) continue;
      const line = { text, start: at, end, path, n };
      // A line cut by a crash has no closing brace: parsed below, and reported.
      const head = requestHead(text, at, end);
      if (head) {
        found.requests[kind].push({ ...head, line });
        continue;
      }
      const fwd = forwardHead(text, at, end);
      if (fwd !== undefined) {
        found.fwds.set(fwd, line);
        continue;
      }
      const v = parseLine(lineText(line)) as {
        k?: unknown;
        count?: unknown;
        from?: unknown;
        to?: unknown;
        id?: unknown;
      };
      if (isNewer(v)) o.countNewer?.();
      else if (isRequest(v)) found.requests[kind].push({ id: v.id, at: v.received_at, line, parsed: v });
      else if (v?.k === 'fwd' && typeof v.id === 'string') found.fwds.set(v.id, line);
      else if (v?.k === 'skipped') addSkipped(v, since, found.skipped);
      else o.onCorrupt?.(where(line));
    }
  }
  return found;
}

/**
 * One candidate as returned: parsed (its body kept or dropped), its forward result merged in, and
 * the filters applied; undefined when it is filtered out or damaged (reported).
 */
export function finish(c: Candidate, fwd: Line | undefined, o: LineReadOptions): RecordedRequest | undefined {
  if (o.hidden?.has(c.id)) return undefined;
  const keep = typeof o.withBodies === 'function' ? o.withBodies(c.id) : o.withBodies === true;
  const v = c.parsed ?? parseLine(lineText(c.line));
  if (isNewer(v)) {
    o.countNewer?.();
    return undefined;
  }
  if (!isRequest(v)) {
    o.onCorrupt?.(where(c.line));
    return undefined;
  }
  const { k: _k, v: _v, ...r } = v as RecordedRequest & { k: string; v?: number };
  if (!keep) r.body_b64 = '';
  let fv = fwd ? (parseLine(lineText(fwd)) as (ForwardResult & { k?: string; id?: string }) | undefined) : undefined;
  // A newer anchor's answer line is not guessed at: the request shows without it.
  if (isNewer(fv)) fv = undefined;
  else if (fwd && fv?.k !== 'fwd') o.onCorrupt?.(where(fwd));
  // r is this call's own copy: the forward result is set on it, not on another copy.
  const full: RecordedRequest = r;
  if (fv?.k === 'fwd') {
    const { k: _fk, id: _id, v: _fv, ...f } = fv as ForwardResult & { k: string; id: string; v?: number };
    full.forward = f;
    // What listen answered Anchor: 504 when the app ran out of time, 502 when it could not be reached.
    full.status = f.error ? (f.timed_out ? 504 : 502) : f.status;
  }
  if (o.type !== undefined && full.event_type !== o.type) return undefined;
  if (o.refused && full.verdict !== 'refused') return undefined;
  if (o.where && !o.where(full)) return undefined;
  return full;
}

/** A line found from the end of its segment: its number (0 here) is counted only for a report. */
export function lineOf(seg: SegmentText, start: number, end: number): Line {
  return { text: seg.text, start, end, path: seg.path, n: 0 };
}
