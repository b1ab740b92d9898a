// The record's usual case, read without sorting it: when no two segments of a kind overlap in
// time (one `listen` at a time) and each is in time order, walking the segments newest first and
// their lines from the end gives the requests newest first. Lines are found from the end and
// parsed only when returned, so `received` (50 by default) reads the newest lines only. Anything
// else (segments of two runs at once, a clock that went back, a line of another layout) answers
// undefined, and the reader sorts the whole record instead.
import type { SegmentKind } from './record-files.js';

/** One segment's text. */
export interface SegmentText {
  kind: SegmentKind;
  path: string;
  text: string;
}

/** A request line found in a segment, not yet parsed. */
export interface Found {
  kind: SegmentKind;
  id: string;
  at: string;
  seg: SegmentText;
  start: number;
  end: number;
}

// `{"k":"req","id":"…","received_at":"…"` as the writer lays it out (an id has no quote or
// backslash, a time is toISOString's 24 characters).
export const REQ_HEAD = '{"k":"req","id":"';
const RECEIVED_AT = '","received_at":"';
const ISO_LENGTH = 24;
export const FWD_HEAD = '{"k":"fwd","id":"';

/** The id and time of the request line at [start, end), when it is in the writer's layout. */
export function requestHead(text: string, start: number, end: number): { id: string; at: string } | undefined {
  if (text.charCodeAt(end - 1) !== 0x7d || !text.startsWith(REQ_HEAD, start)) return undefined;
  const idEnd = text.indexOf('"', start + REQ_HEAD.length);
  const timeAt = idEnd + RECEIVED_AT.length;
  if (
    idEnd === -1 ||
    idEnd > end ||
    !text.startsWith(RECEIVED_AT, idEnd) ||
    text.charCodeAt(timeAt + ISO_LENGTH) !== 0x22
  )
    return undefined;
  return { id: text.slice(start + REQ_HEAD.length, idEnd), at: text.slice(timeAt, timeAt + ISO_LENGTH) };
}

/** The id of a forward line at [start, end), when it is in the writer's layout. */
export function forwardHead(text: string, start: number, end: number): string | undefined {
  if (text.charCodeAt(end - 1) !== 0x7d || !text.startsWith(FWD_HEAD, start)) return undefined;
  const idEnd = text.indexOf('"', start + FWD_HEAD.length);
  return idEnd === -1 || idEnd > end ? undefined : text.slice(start + FWD_HEAD.length, idEnd);
}

const newer = (a: { at: string; id: string }, b: { at: string; id: string }) =>
  a.at > b.at || (a.at === b.at && a.id > b.id);

/** The line before `end` (exclusive of its newline): its start, or -1 at the top of the text. */
function lineStart(text: string, end: number): number {
  return text.lastIndexOf('\n', end - 1) + 1;
}

/** The first and the last request of a segment, or undefined when it has none in the writer's layout. */
function span(seg: SegmentText): { first: { id: string; at: string }; last: { id: string; at: string } } | undefined {
  const { text } = seg;
  let first: { id: string; at: string } | undefined;
  for (let start = 0; start < text.length && !first;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start) first = requestHead(text, start, end);
    if (!first && text.startsWith(REQ_HEAD, start)) return undefined;
    start = end + 1;
  }
  if (!first) return undefined;
  let last: { id: string; at: string } | undefined;
  for (let end = text.endsWith('\n') ? text.length - 1 : text.length; end > 0 && !last;) {
    const start = lineStart(text, end);
    if (end > start) last = requestHead(text, start, end);
    if (!last && text.startsWith(REQ_HEAD, start)) return undefined;
    end = start - 1;
  }
  return last ? { first, last } : undefined;
}

/**
 * A kind's requests newest first, one at a time, with the forward lines met on the way (they come
 * after their request in a segment, so before it from the end). Undefined from `next` when done;
 * throws Unordered when the record is not in the order this walk needs.
 */
export class Unordered extends Error {}

export class KindWalk {
  private i = 0;
  private end: number;
  private previous: { id: string; at: string } | undefined;

  private constructor(
    private readonly segs: SegmentText[],
    private readonly fwds: Map<string, { seg: SegmentText; start: number; end: number }>,
    private readonly onOther: (seg: SegmentText, start: number, end: number) => void,
  ) {
    this.end = segs.length ? trimmed(segs[0]!.text) : 0;
  }

  /** The walk, or undefined when two segments overlap in time (or one cannot be placed). */
  static of(
    segs: SegmentText[],
    fwds: KindWalk['fwds'],
    onOther: (seg: SegmentText, start: number, end: number) => void,
  ): KindWalk | undefined {
    const placed: Array<{ seg: SegmentText; first: { id: string; at: string }; last: { id: string; at: string } }> = [];
    for (const seg of segs) {
      const s = span(seg);
      if (s) placed.push({ seg, ...s });
      // A segment with no request (a count of skipped refusals alone, a damaged one) is the
      // general reader's to report.
      else if (seg.text.includes(REQ_HEAD)) return undefined;
    }
    placed.sort((a, b) => (newer(a.last, b.last) ? -1 : 1));
    for (let k = 1; k < placed.length; k++) if (!newer(placed[k - 1]!.first, placed[k]!.last)) return undefined;
    return new KindWalk(
      placed.map((p) => p.seg),
      fwds,
      onOther,
    );
  }

  next(): Found | undefined {
    while (this.i < this.segs.length) {
      const seg = this.segs[this.i]!;
      const { text } = seg;
      if (this.end <= 0) {
        this.i++;
        if (this.i < this.segs.length) this.end = trimmed(this.segs[this.i]!.text);
        continue;
      }
      const end = this.end;
      const start = lineStart(text, end);
      this.end = start - 1;
      if (end === start) continue;
      const head = requestHead(text, start, end);
      if (head) {
        if (this.previous && newer(head, this.previous)) throw new Unordered();
        this.previous = head;
        return { kind: seg.kind, id: head.id, at: head.at, seg, start, end };
      }
      const fwd = forwardHead(text, start, end);
      if (fwd !== undefined) {
        if (!this.fwds.has(fwd)) this.fwds.set(fwd, { seg, start, end });
        continue;
      }
      // Another layout of a request: only the general reader can place it.
      if (text.startsWith(REQ_HEAD, start)) throw new Unordered();
      this.onOther(seg, start, end);
    }
    return undefined;
  }
}

/** Where the last line of a text ends (a final newline is not a line). */
function trimmed(text: string): number {
  return text.endsWith('\n') ? text.length - 1 : text.length;
}

export { newer };
