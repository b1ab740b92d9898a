// The record's usual case, read without sorting it: when no two segments of a kind overlap in
// time (one `listen` at a time) and each is in time order, walking the segments newest first and
// their lines from the end gives the requests newest first. Lines are found from the end and
// parsed only when returned, so `received` (50 by default) reads the newest lines only. Anything
// else (segments of two runs at once, a clock that went back, a line of another layout) answers
// undefined, and the reader sorts the whole record instead.
import type { SegmentKind } from './record-files.js';

/** One segment: its text (read on first use), and its two ends, readable alone. */
export interface SegmentText {
  kind: SegmentKind;
  path: string;
  readonly text: string;
  /** The start or the end of the segment (all of it when it is small, or already read). */
  peek: (end: 'head' | 'tail') => { text: string; from: number };
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

/** The id and time at the head of a request line (its end need not be in `text`). */
function headAt(text: string, start: number): { id: string; at: string } | undefined {
  const idEnd = text.indexOf('"', start + REQ_HEAD.length);
  const timeAt = idEnd + RECEIVED_AT.length;
  if (idEnd === -1 || !text.startsWith(RECEIVED_AT, idEnd) || text.charCodeAt(timeAt + ISO_LENGTH) !== 0x22)
    return undefined;
  return { id: text.slice(start + REQ_HEAD.length, idEnd), at: text.slice(timeAt, timeAt + ISO_LENGTH) };
}

type Head = { id: string; at: string };

/**
 * The first or the last request head in `text`, whose line starts are `starts` (in that order);
 * 'none' when no line is a request, undefined when one is not in the writer's layout.
 */
function firstHead(text: string, starts: Iterable<number>): Head | 'none' | undefined {
  for (const start of starts) {
    if (!text.startsWith(REQ_HEAD, start)) continue;
    return headAt(text, start);
  }
  return 'none';
}

function* forward(text: string): Generator<number> {
  for (let start = 0; start < text.length;) {
    yield start;
    const end = text.indexOf('\n', start);
    if (end === -1) return;
    start = end + 1;
  }
}

function* backward(text: string, whole: boolean): Generator<number> {
  for (let end = text.length; end > 0;) {
    const nl = text.lastIndexOf('\n', end - 1);
    // The first line of a tail read from the middle of a file is a piece of a line.
    if (nl === -1 && !whole) return;
    if (nl + 1 < end) yield nl + 1;
    end = nl;
  }
}

/**
 * The first and the last request of a segment, read from its two ends when it is large; 'none'
 * when it holds no request, undefined when it cannot be placed (another layout).
 */
function span(seg: SegmentText): { first: Head; last: Head } | 'none' | undefined {
  const head = seg.peek('head');
  let first = firstHead(head.text, forward(head.text));
  // A head with no request in it may be a part of the file: then the whole is read.
  if (first === 'none' && head.text.length < seg.text.length) first = firstHead(seg.text, forward(seg.text));
  if (first === undefined || first === 'none') return first;
  const tail = seg.peek('tail');
  let last = firstHead(tail.text, backward(tail.text, tail.from === 0));
  if (last === 'none' && tail.from > 0) last = firstHead(seg.text, backward(seg.text, true));
  if (last === undefined || last === 'none') return undefined;
  return { first, last };
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
      // A segment of another layout is the general reader's; one with no request (a count of
      // skipped refusals alone) has nothing to place.
      if (s === undefined) return undefined;
      if (s !== 'none') placed.push({ seg, ...s });
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
