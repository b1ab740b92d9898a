// The delivery record: every request `listen` receives, kept on disk so that it can be listed,
// shown, replayed and inspected later. An append-only store in the state folder, chosen over
// SQLite because Node 20 has no node:sqlite and a native module would have to download a
// prebuilt binary on every supported Node line (see the README for the measurements):
//
// - segments `seg-<time>-<pid>.ndjson`, one JSON line per event: `req` when a request is decided
//   (before `listen` answers it), `fwd` when the app's answer to a forwarded one comes back;
// - each `listen` run appends to a new segment, so a run killed mid-write leaves at most a torn
//   last line in its own segment, which readers report and skip;
// - retention at the start of each run: whole segments older than 7 days go, and so do segments
//   beyond the newest 1,000 requests; readers never show more than 1,000 or anything older.
//
// Folder 0700, files 0600. No secret is written: the signing secrets and the API key are redacted
// from every header and answer stored (bodies are kept byte for byte).
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
  chmodSync,
  readSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const RETAIN_REQUESTS = 1000;
export const RETAIN_MS = 7 * 24 * 3600 * 1000;
/** What is kept of the app's answer to a forwarded request. */
export const FORWARD_RESPONSE_KEEP = 64 * 1024;
/** What is kept of the body of a request refused before its body was read. */
export const REFUSED_BODY_KEEP = 64 * 1024;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ForwardResult {
  url: string;
  status: number;
  latency_ms: number;
  response_body: string;
  error?: string;
}

/** One request as recorded. */
export interface RecordedRequest {
  id: string;
  received_at: string;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  /** The exact body, base64. */
  body_b64: string;
  /** The body was longer than what was kept (a request refused before its body was read). */
  body_truncated?: boolean;
  verdict: 'ok' | 'refused';
  /** What `listen` answered; for a forwarded request, the app's status once known (0 before). */
  status: number;
  reason?: string;
  diagnosis?: string;
  checks?: Check[];
  event_type?: string;
  event_id?: string;
  delivery_id?: string;
  duplicate?: boolean;
  backfilled?: boolean;
  forward?: ForwardResult;
}

export function stateDir(env: Record<string, string | undefined>): string {
  if (env.ANCHOR_STATE_DIR) return env.ANCHOR_STATE_DIR;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'anchor');
  return join(env.HOME || homedir(), '.local', 'state', 'anchor');
}

export function recordDir(env: Record<string, string | undefined>): string {
  return join(stateDir(env), 'record');
}

let counter = 0;
/** Sortable and unique: time, then a counter, then the pid. */
export function newRecordId(now: number): string {
  counter = (counter + 1) % 46656;
  return `rec_${now.toString(36).padStart(9, '0')}${counter.toString(36).padStart(3, '0')}${(process.pid % 1296).toString(36).padStart(2, '0')}`;
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // A folder made by someone else's umask, or before: tightened.
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

const SEGMENT = /^seg-[0-9a-z]+-[0-9]+-[0-9]+\.ndjson$/;
/** A run moves to a new segment past this many requests or bytes, so no reader loads much at once. */
const SEGMENT_MAX_REQUESTS = 250;
const SEGMENT_MAX_BYTES = 16 * 1024 * 1024;

function segments(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => SEGMENT.test(f))
    .sort();
}

const REQ_MARK = Buffer.from('{"k":"req"');

/**
 * How many requests a segment holds: its `{"k":"req"` marks (inside a JSON string those characters
 * would be escaped), read in chunks (a segment is never loaded whole).
 */
function countRequests(path: string): number {
  const fd = openSync(path, 'r');
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

/** Drops what the retention rules say goes: whole old segments, and segments past the newest 1,000. */
export function applyRetention(dir: string, nowMs: number): void {
  const all = segments(dir);
  let kept = 0;
  for (let i = all.length - 1; i >= 0; i--) {
    const path = join(dir, all[i]!);
    let st;
    try {
      st = statSync(path);
    } catch {
      continue;
    }
    if (kept >= RETAIN_REQUESTS || nowMs - st.mtimeMs > RETAIN_MS) {
      try {
        unlinkSync(path);
      } catch {
        // Another run removed it first.
      }
      continue;
    }
    kept += countRequests(path);
  }
}

/** Appends records for one `listen` run. */
export class RecordWriter {
  private fd: number | undefined;
  private requests = 0;
  private bytes = 0;
  private part = 0;
  path = '';

  private constructor(
    readonly dir: string,
    private readonly redact: (s: string) => string,
    private readonly now: () => number,
  ) {}

  static open(env: Record<string, string | undefined>, redact: (s: string) => string, now: () => number): RecordWriter {
    const dir = recordDir(env);
    ensureDir(dir);
    applyRetention(dir, now());
    // The first segment is made with the first request: a run that receives nothing leaves nothing.
    return new RecordWriter(dir, redact, now);
  }

  private rotate(): void {
    if (this.closed) return;
    if (this.fd !== undefined) {
      closeSync(this.fd);
      applyRetention(this.dir, this.now());
    }
    this.part++;
    this.path = join(this.dir, `seg-${this.now().toString(36).padStart(9, '0')}-${process.pid}-${this.part}.ndjson`);
    this.fd = openSync(this.path, 'a', 0o600);
    this.requests = 0;
    this.bytes = 0;
  }

  private line(value: unknown): void {
    if (this.fd === undefined || this.closed) return;
    const text = `${JSON.stringify(value)}\n`;
    // One write per line, in the page cache before the answer goes out: a SIGKILL after it keeps it.
    writeSync(this.fd, text);
    this.bytes += text.length;
  }

  request(r: RecordedRequest): void {
    if (this.fd === undefined || this.requests >= SEGMENT_MAX_REQUESTS || this.bytes >= SEGMENT_MAX_BYTES)
      this.rotate();
    this.requests++;
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(r.headers))
      headers[k] = Array.isArray(v) ? v.map((x) => this.redact(x)) : this.redact(v);
    this.line({ k: 'req', ...r, headers });
  }

  forward(id: string, f: ForwardResult): void {
    this.line({
      k: 'fwd',
      id,
      ...f,
      response_body: this.redact(f.response_body.slice(0, FORWARD_RESPONSE_KEEP)),
      ...(f.error ? { error: this.redact(f.error) } : {}),
    });
  }

  private closed = false;

  close(): void {
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

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
}

/** The recorded requests, newest first, with their forward results merged in. */
export function readRecords(env: Record<string, string | undefined>, o: ReadOptions): RecordedRequest[] {
  const dir = recordDir(env);
  const out: RecordedRequest[] = [];
  const limit = Math.min(o.limit ?? RETAIN_REQUESTS, RETAIN_REQUESTS);
  let seen = 0;
  const all = segments(dir);
  // A forward result may be in a newer segment than its request: newer ones are read first.
  const fwds = new Map<string, ForwardResult>();
  for (let i = all.length - 1; i >= 0 && seen < RETAIN_REQUESTS && out.length < limit; i--) {
    const path = join(dir, all[i]!);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const reqs: RecordedRequest[] = [];
    const lines = text.split('\n');
    lines.forEach((line, n) => {
      if (line === '') return;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        o.onCorrupt?.(`${path}:${n + 1}`);
        return;
      }
      const rec = v as { k?: string } & RecordedRequest & ForwardResult;
      if (rec.k === 'req' && typeof rec.id === 'string' && typeof rec.body_b64 === 'string') {
        const { k: _k, ...r } = rec;
        const keep = typeof o.withBodies === 'function' ? o.withBodies(r.id) : o.withBodies === true;
        if (!keep) r.body_b64 = '';
        reqs.push(r as RecordedRequest);
      } else if (rec.k === 'fwd' && typeof rec.id === 'string') {
        const { k: _k, id, ...f } = rec;
        fwds.set(id, f as ForwardResult);
      } else o.onCorrupt?.(`${path}:${n + 1}`);
    });
    for (let j = reqs.length - 1; j >= 0 && seen < RETAIN_REQUESTS && out.length < limit; j--) {
      const r = reqs[j]!;
      seen++;
      const at = Date.parse(r.received_at);
      if (!(o.nowMs - at <= RETAIN_MS)) continue;
      const f = fwds.get(r.id);
      const full: RecordedRequest = f ? { ...r, forward: f, status: f.error ? 502 : f.status } : r;
      if (o.since !== undefined && at < o.since) continue;
      if (o.type !== undefined && full.event_type !== o.type) continue;
      if (o.refused && full.verdict !== 'refused') continue;
      out.push(full);
    }
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
