// Appends one `listen` run's requests to the delivery record: verified ones to `seg-` segments,
// refused ones to `ref-` segments at a limited rate, with a count of those it did not keep.
import { chmodSync, closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyRetention,
  checkRecordFolders,
  lstatSegment,
  NOFOLLOW_APPEND,
  recordDir,
  segmentNames,
  type SegmentKind,
} from './record-files.js';
import { FORWARD_RESPONSE_KEEP, RECORD_FORMAT, type ForwardResult, type RecordedRequest } from './record-types.js';
import { tokenBucket } from '../lib/token-bucket.js';

/**
 * Refusals recorded: a burst of 50, then 10 a second. A sender with the wrong secret (the case
 * the refused record is for) is caught whole, retries included; a stranger's flood costs at most
 * 10 × 64 KiB of disk writes a second, and cycles the 200 kept refusals no faster than every 20 s.
 */
export const REFUSED_BURST = 50;
export const REFUSED_PER_SECOND = 10;
/** A count of refusals not recorded is written within this long of the first one. */
const SKIPPED_FLUSH_MS = 1000;

/** A run moves to a new segment past this many requests or bytes, so no reader loads much at once. */
const SEGMENT_MAX_REQUESTS: Record<SegmentKind, number> = { seg: 250, ref: 50 };
const SEGMENT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Whose request it is, for the record's budgets. A delivery `listen` took is the owner's; so is
 * one whose HMAC matched with a fresh timestamp that `listen` refused for its envelope (only the
 * holder of the secret can make one). A stale timestamp is not enough, and neither is a copy of a
 * delivery already taken: anyone who saw one in a proxy's log can send it again within its
 * freshness window, so a duplicate (acknowledged, or told to retry while the first is being
 * forwarded) goes with the refusals, rate-limited, and cannot push the owner's deliveries out.
 */
export function isOwners(r: RecordedRequest): boolean {
  if (r.duplicate || r.status === 429) return false;
  if (r.verdict === 'ok') return true;
  const ok = (name: string) => r.checks?.some((c) => c.name === name && c.ok) === true;
  return ok('signature') && ok('freshness');
}

// Unique within the process, so two writers (tests, or `listen` and a backfill) never share a file.
let part = 0;

interface Segment {
  fd: number | undefined;
  requests: number;
  bytes: number;
}

export interface WriterOptions {
  /** A monotonic clock in ms for the refusal rate (wall clock jumps must not refill it). */
  monotonic?: () => number;
}

/** Appends records for one `listen` run. */
export class RecordWriter {
  private readonly segs: Record<SegmentKind, Segment> = {
    seg: { fd: undefined, requests: 0, bytes: 0 },
    ref: { fd: undefined, requests: 0, bytes: 0 },
  };
  private closed = false;
  /** Takes a token for one refusal; false when the rate is spent. */
  private readonly mayRecordRefusal: () => boolean;
  private skipped: { count: number; from: string; to: string } | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly monotonic: () => number;

  private constructor(
    readonly dir: string,
    private readonly redact: (s: string) => string,
    private readonly now: () => number,
    o: WriterOptions,
  ) {
    this.monotonic = o.monotonic ?? (() => performance.now());
    this.mayRecordRefusal = tokenBucket({ burst: REFUSED_BURST, perSecond: REFUSED_PER_SECOND }, this.monotonic);
  }

  /** Refuses (throws) a record folder or segment that another user owns or others can write. */
  static open(
    env: Record<string, string | undefined>,
    redact: (s: string) => string,
    now: () => number,
    o: WriterOptions = {},
  ): RecordWriter {
    const dir = recordDir(env);
    // Checked before anything is made: a folder that exists and is not trusted is not touched.
    checkRecordFolders(env);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    checkRecordFolders(env);
    // Readable by others (an old umask), but not writable: tightened, the records are private.
    if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
    for (const name of segmentNames(dir)) lstatSegment(join(dir, name));
    applyRetention(dir, now());
    // The first segment is made with the first request: a run that receives nothing leaves nothing.
    return new RecordWriter(dir, redact, now, o);
  }

  private rotate(kind: SegmentKind): Segment {
    const s = this.segs[kind];
    if (s.fd !== undefined) {
      closeSync(s.fd);
      applyRetention(this.dir, this.now(), kind);
    }
    part++;
    const path = join(this.dir, `${kind}-${this.now().toString(36).padStart(9, '0')}-${process.pid}-${part}.ndjson`);
    s.fd = openSync(path, NOFOLLOW_APPEND, 0o600);
    s.requests = 0;
    s.bytes = 0;
    return s;
  }

  /** The segment a new request of this kind goes to, rotated when full. */
  private segmentFor(kind: SegmentKind): Segment {
    const s = this.segs[kind];
    if (s.fd === undefined || s.requests >= SEGMENT_MAX_REQUESTS[kind] || s.bytes >= SEGMENT_MAX_BYTES)
      return this.rotate(kind);
    return s;
  }

  private line(s: Segment, value: unknown): void {
    if (s.fd === undefined) return;
    const text = `${JSON.stringify(value)}\n`;
    // One write per line, in the page cache before the answer goes out: a SIGKILL after it keeps it.
    writeSync(s.fd, text);
    s.bytes += text.length;
  }

  /** Writes the count of refusals not recorded, if any, to the refused segments. */
  private flushSkipped(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (!this.skipped || this.closed) return;
    const s = this.segs.ref.fd === undefined ? this.rotate('ref') : this.segs.ref;
    this.line(s, { k: 'skipped', v: RECORD_FORMAT, ...this.skipped });
    this.skipped = undefined;
  }

  request(r: RecordedRequest): void {
    if (this.closed) return;
    const kind: SegmentKind = isOwners(r) ? 'seg' : 'ref';
    if (kind === 'ref') {
      if (!this.mayRecordRefusal()) {
        if (this.skipped) {
          this.skipped.count++;
          this.skipped.to = r.received_at;
        } else {
          this.skipped = { count: 1, from: r.received_at, to: r.received_at };
          this.flushTimer = setTimeout(() => this.flushSkipped(), SKIPPED_FLUSH_MS);
          this.flushTimer.unref();
        }
        return;
      }
      this.flushSkipped();
    }
    const s = this.segmentFor(kind);
    s.requests++;
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(r.headers))
      headers[k] = Array.isArray(v) ? v.map((x) => this.redact(x)) : this.redact(v);
    // Id and time first (readers place a line by its head, record-walk.ts), then the format.
    const { id, received_at, ...rest } = r;
    this.line(s, {
      k: 'req',
      id,
      received_at,
      v: RECORD_FORMAT,
      ...rest,
      headers,
      // A replay's record carries the app's answer in its own line.
      ...(r.forward ? { forward: this.redactedForward(r.forward) } : {}),
    });
  }

  private redactedForward(f: ForwardResult): ForwardResult {
    return {
      ...f,
      response_body: this.redact(f.response_body.slice(0, FORWARD_RESPONSE_KEEP)),
      ...(f.error ? { error: this.redact(f.error) } : {}),
    };
  }

  /** The app's answer to a forwarded request (always a verified one). */
  forward(id: string, f: ForwardResult): void {
    if (this.closed) return;
    this.line(this.segs.seg, { k: 'fwd', id, v: RECORD_FORMAT, ...this.redactedForward(f) });
  }

  close(): void {
    if (this.closed) return;
    this.flushSkipped();
    this.closed = true;
    for (const s of Object.values(this.segs)) {
      if (s.fd !== undefined) closeSync(s.fd);
      s.fd = undefined;
    }
  }
}
