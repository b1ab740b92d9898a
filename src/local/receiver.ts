// A webhook receiver that checks every request as Anchor's docs say a receiver must — headers,
// freshness, HMAC, duplicate envelope id — answers 400/401/409/413 to bad ones and keeps serving,
// and can relay verified deliveries to a local app, answering Anchor with the app's status.
//
// It sits behind a public tunnel, so every request is a stranger's until its HMAC says otherwise:
// what a stranger can make it do is bounded (one HMAC per secret, bodies of 1 MiB, 64 MiB of
// bodies held before their HMAC is known, the first byte and the headers in 10 s, a cap on
// connections), and nothing a request holds can throw past the handler.
import http from 'node:http';
import { createHmac, type Hmac } from 'node:crypto';
import {
  diagnose,
  signatureMismatchDetail,
  verifyDelivery,
  type VerifyInput,
  type VerifyResult,
} from '../core/verify.js';
import { parseSignatureHeader, signaturesEqual } from '../core/signature.js';
import { closeServer, connectionCap, listenOn } from '../lib/serve.js';
import { isLoopbackHost } from '../lib/loopback.js';
import { capConnections, closeSilentConnections } from './connections.js';
import {
  BodyBudget,
  DEFAULT_BUFFERED_BODY_BYTES,
  DEFAULT_BUFFERED_BODY_BYTES_PER_ADDRESS,
  type BudgetRefusal,
} from './body-budget.js';
import { newRecordId, REFUSED_BODY_KEEP, type Check, type ForwardResult, type RecordedRequest } from './record.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** What is read of the forwarded app's answer, which is relayed to Anchor. */
export const MAX_FORWARD_RESPONSE_BYTES = 1024 * 1024;
const DEDUPE_TTL_MS = 24 * 3600 * 1000;
const FORWARD_TIMEOUT_MS = 10_000;
/** Full diagnoses (dozens of HMACs) only for bodies this small, and only this often. */
const DIAGNOSIS_MAX_BODY_BYTES = 64 * 1024;
const DIAGNOSIS_BURST = 5;
const DIAGNOSIS_REFILL_MS = 2000;

export interface ReceivedEvent {
  received_at: string;
  id: string;
  type: string;
  text: string;
  delivery_id: string | null;
  forward?: { status: number; latency_ms: number; truncated?: true } | { error: string };
}

export interface Rejection {
  status: number;
  reason: string;
  diagnosis?: string;
}

export interface ReceiverLimits {
  /** A connection must send its request headers within this, and its first byte within this of opening. */
  headersTimeoutMs: number;
  /** A request must arrive in full within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; past it the oldest idle one is closed. Default: from the fd limit. */
  maxConnections: number;
  /** Body bytes held, in all, before their HMAC is known; a request past it is answered 503. */
  maxBufferedBodyBytes: number;
  /** The same for one peer address; loopback peers (a tunnel, so anyone) have only the total. */
  maxBufferedBodyBytesPerAddress: number;
}

export const DEFAULT_LIMITS: Omit<ReceiverLimits, 'maxConnections'> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxBufferedBodyBytes: DEFAULT_BUFFERED_BODY_BYTES,
  maxBufferedBodyBytesPerAddress: DEFAULT_BUFFERED_BODY_BYTES_PER_ADDRESS,
};
/** How long a client refused by the memory budget is asked to wait: about as long as a slow body may hold it. */
const BUDGET_RETRY_AFTER_S = 10;

export interface ReceiverOptions {
  port: number;
  host: string;
  path: string;
  /** The secrets a delivery may be signed with (current, and previous during a rotation). */
  secrets: () => readonly string[];
  events?: ReadonlySet<string>;
  forwardTo?: URL;
  now: () => Date;
  /** A verified event, and the exact body it came in (for --until's matching). */
  onEvent: (e: ReceivedEvent, body: Buffer) => void;
  onReject: (r: Rejection) => void;
  /** A verified envelope already processed: acknowledged with 200, not printed or forwarded again. */
  onDuplicate?: (id: string) => void;
  /** A delivery that verified only against a later v1= (the previous secret, during a rotation). */
  onPreviousSecret?: (id: string) => void;
  limits?: Partial<ReceiverLimits>;
  /** Where each request goes as it is decided, before it is answered (the delivery record). */
  record?: RecordSink;
}

export interface RecordSink {
  request: (r: RecordedRequest) => void;
  forward: (id: string, f: ForwardResult) => void;
}

/** What is known of a request for its record, gathered as it is handled. */
interface Pending {
  at: number;
  id: string;
  body?: Buffer;
  truncated?: boolean;
  reason?: string;
  diagnosis?: string;
  checks?: Check[];
  event?: { type: string; id: string; delivery_id: string | null };
  duplicate?: boolean;
  done: boolean;
}

export interface RunningReceiver {
  url: string;
  port: number;
  /** Body bytes held now before their HMAC is known (0 when no body is arriving). */
  bufferedBodyBytes: () => number;
  close: () => Promise<void>;
}

export type RequestHeaders = Record<string, string | string[] | undefined>;

/** The verdict on one request's headers and body, before anything stateful (dedupe, forwarding). */
export type Verdict =
  | { ok: true; id: string; type: string; text: string; matchedIndex: number }
  | {
      ok: false;
      status: 400 | 401;
      reason: string;
      /** What failed: the headers (present, well formed, matching, fresh), the HMAC, or the envelope. */
      stage: 'headers' | 'signature' | 'envelope';
      verifyInput?: VerifyInput;
      result?: VerifyResult;
    };

const headerValue = (headers: RequestHeaders, name: string): string | undefined => {
  const v = headers[name];
  return typeof v === 'string' ? v : undefined;
};

/**
 * Checks a delivery as a receiver must, cheaply: checks stop at the first failure, so a stranger's
 * request costs at most one HMAC per secret. Pure, so it can be fuzzed without a socket.
 */
export function checkDelivery(
  headers: RequestHeaders,
  body: Buffer,
  secrets: readonly string[],
  nowSeconds: number,
): Verdict {
  const signatureHeader = headerValue(headers, 'anchor-signature');
  const timestampHeader = headerValue(headers, 'anchor-timestamp');
  if (!signatureHeader || !timestampHeader) {
    return {
      ok: false,
      status: 400,
      stage: 'headers',
      reason: `missing ${!signatureHeader ? 'Anchor-Signature' : 'Anchor-Timestamp'} header`,
    };
  }
  let verifyInput: VerifyInput = {
    secret: secrets[0] ?? '',
    signatureHeader,
    timestampHeader,
    body,
    nowSeconds,
    stopAtFirstFailure: true,
  };
  let result = verifyDelivery(verifyInput);
  for (const other of secrets.slice(1)) {
    // Another secret can only help when the HMAC was the one check that failed.
    if (result.valid || result.checks.find((c) => !c.ok)?.name !== 'signature') break;
    const input = { ...verifyInput, secret: other };
    const again = verifyDelivery(input);
    if (again.valid) {
      result = again;
      verifyInput = input;
    }
  }
  if (!result.valid) {
    const failed = result.checks.find((c) => !c.ok)!;
    const status = failed.name === 'headers' || failed.name === 'timestamp_match' ? 400 : 401;
    return {
      ok: false,
      status,
      stage: failed.name === 'signature' ? 'signature' : 'headers',
      reason: `${failed.name} check failed: ${failed.detail}`,
      verifyInput,
      result,
    };
  }
  const envelope = parseEnvelope(body);
  return envelope.ok ? { ...envelope, matchedIndex: result.matchedIndex ?? 0 } : envelope;
}

/** An authentic body, parsed with care all the same: a signed body may be any JSON at all. */
export function parseEnvelope(
  body: Buffer,
): { ok: true; id: string; type: string; text: string } | (Verdict & { ok: false }) {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, status: 400, stage: 'envelope', reason: 'the body is not JSON' };
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return {
      ok: false,
      status: 400,
      stage: 'envelope',
      reason: 'the body is not an Anchor envelope (not a JSON object)',
    };
  }
  const { id, type, text } = envelope as Record<string, unknown>;
  if (typeof id !== 'string' || id === '' || typeof type !== 'string' || type === '') {
    return { ok: false, status: 400, stage: 'envelope', reason: 'the body is not an Anchor envelope (no id or type)' };
  }
  return { ok: true, id, type, text: typeof text === 'string' ? text : '' };
}

const EMPTY = Buffer.alloc(0);

/**
 * What can be known of a request before its body: the header checks, done by `checkDelivery` on an
 * empty body (one tiny HMAC per secret). A request whose headers fail is refused without its body
 * being kept or hashed; otherwise the HMACs to feed the body into as it arrives.
 */
export function precheckDelivery(
  headers: RequestHeaders,
  secrets: readonly string[],
  nowSeconds: number,
): { refuse: Verdict & { ok: false } } | { tText: string; signatures: string[]; hmacs: Hmac[] } {
  const v = checkDelivery(headers, EMPTY, secrets, nowSeconds);
  if (!v.ok && v.stage === 'headers') return { refuse: v };
  const parsed = parseSignatureHeader(headerValue(headers, 'anchor-signature')!.trim());
  const tText = parsed.timestamp!;
  return {
    tText,
    signatures: parsed.signatures,
    hmacs: secrets.map((secret) => createHmac('sha256', secret).update(`v0:${tText}:`)),
  };
}

/** A token bucket: the full diagnosis of refused requests is for the owner, a few at a time. */
function diagnosisBudget(now: () => number): () => boolean {
  let tokens = DIAGNOSIS_BURST;
  let last = now();
  return () => {
    const t = now();
    tokens = Math.min(DIAGNOSIS_BURST, tokens + (t - last) / DIAGNOSIS_REFILL_MS);
    last = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

const RELAYED_HEADERS = [
  'content-type',
  'user-agent',
  'anchor-event',
  'anchor-delivery-id',
  'anchor-timestamp',
  'anchor-signature',
];

interface AppAnswer {
  status: number;
  body: Buffer;
  contentType?: string;
  truncated: boolean;
}

/**
 * POSTs the delivery to the app; its answer is read up to a limit, and the whole exchange has a
 * deadline. An https:// app on a loopback address may use a self-signed certificate; elsewhere
 * the certificate is checked.
 */
async function relay(url: URL, req: http.IncomingMessage, body: Buffer): Promise<AppAnswer> {
  const headers: Record<string, string> = { 'content-length': String(body.length) };
  for (const h of RELAYED_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  const lib = url.protocol === 'https:' ? (await import('node:https')).default : http;
  const tls = url.protocol === 'https:' ? { rejectUnauthorized: !isLoopbackHost(url.hostname) } : {};
  return new Promise((resolve, reject) => {
    const out = lib.request(url, { method: 'POST', headers, agent: false, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (truncated: boolean) => {
        clearTimeout(deadline);
        const contentType = res.headers['content-type'];
        resolve({
          status: res.statusCode ?? 502,
          body: Buffer.concat(chunks),
          ...(contentType ? { contentType } : {}),
          truncated,
        });
      };
      res.on('data', (c: Buffer) => {
        if (size + c.length > MAX_FORWARD_RESPONSE_BYTES) {
          // The status is what Anchor acts on; an endless body is cut, not waited for.
          chunks.push(c.subarray(0, MAX_FORWARD_RESPONSE_BYTES - size));
          size = MAX_FORWARD_RESPONSE_BYTES;
          res.destroy();
          finish(true);
          return;
        }
        size += c.length;
        chunks.push(c);
      });
      res.on('end', () => finish(false));
      res.on('error', (e) => {
        clearTimeout(deadline);
        reject(e);
      });
    });
    const deadline = setTimeout(
      () => out.destroy(new Error(`no complete answer within ${FORWARD_TIMEOUT_MS / 1000}s`)),
      FORWARD_TIMEOUT_MS,
    );
    out.on('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    out.end(body);
  });
}

export async function startReceiver(o: ReceiverOptions): Promise<RunningReceiver> {
  const seen = new Map<string, number>();
  const inFlight = new Set<string>();
  let lastPrune = 0;
  const mayDiagnose = diagnosisBudget(() => o.now().getTime());
  const limits: ReceiverLimits = { ...DEFAULT_LIMITS, maxConnections: connectionCap(), ...o.limits };
  const budget = new BodyBudget(limits.maxBufferedBodyBytes, limits.maxBufferedBodyBytesPerAddress);

  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node checks the two timeouts above (default 30 s, which would let idle sockets stay 40 s).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs / 2),
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      const pending: Pending = { at: o.now().getTime(), id: '', done: false };
      const answer = (status: number, body: unknown, close = false) => {
        writeRecord(req, pending, status);
        if (res.headersSent || res.destroyed) return;
        const text = JSON.stringify(body);
        res.writeHead(status, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(text),
          ...(close ? { Connection: 'close' } : {}),
        });
        res.end(text);
      };
      const reject = (status: number, reason: string, diagnosis?: string, close = false) => {
        pending.reason ??= reason;
        if (diagnosis) pending.diagnosis ??= diagnosis;
        o.onReject({ status, reason, ...(diagnosis ? { diagnosis } : {}) });
        answer(status, { error: reason }, close);
      };
      // Nothing a request holds may throw past here: a bug answers 500, and serving goes on.
      const guard = (fn: () => void | Promise<void>) => {
        const fail = (e: unknown) => {
          try {
            reject(500, `internal error in the receiver: ${(e as Error)?.message ?? String(e)}`, undefined, true);
          } catch {
            res.destroy();
          }
        };
        try {
          const p = fn();
          if (p) p.catch(fail);
        } catch (e) {
          fail(e);
        }
      };
      guard(() => receive(req, res, answer, reject, pending));
    },
  );
  // A client that breaks the HTTP framing gets Node's own answer (400, 408 or 431) and is closed.
  capConnections(server, limits.maxConnections);
  closeSilentConnections(server, limits.headersTimeoutMs);

  /** The request's line in the record, written once, before its answer. */
  function writeRecord(req: http.IncomingMessage, p: Pending, status: number): void {
    if (!o.record || p.done) return;
    p.done = true;
    p.id ||= newRecordId(p.at);
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
    const ok = p.event !== undefined && ((status >= 200 && status < 300) || status === 0);
    // A refused request is a stranger's until proven otherwise: at most 64 KiB of it is kept.
    let body = p.body ?? Buffer.alloc(0);
    let truncated = p.truncated === true;
    if (!ok && body.length > REFUSED_BODY_KEEP) {
      body = body.subarray(0, REFUSED_BODY_KEEP);
      truncated = true;
    }
    o.record.request({
      id: p.id,
      received_at: new Date(p.at).toISOString(),
      method: req.method ?? '',
      path: req.url ?? '',
      headers,
      body_b64: body.toString('base64'),
      ...(truncated ? { body_truncated: true } : {}),
      verdict: ok ? 'ok' : 'refused',
      status,
      ...(p.reason && !ok ? { reason: p.reason } : {}),
      ...(p.diagnosis ? { diagnosis: p.diagnosis } : {}),
      ...(p.checks ? { checks: p.checks } : {}),
      ...(p.event
        ? {
            event_type: p.event.type,
            event_id: p.event.id,
            ...(p.event.delivery_id ? { delivery_id: p.event.delivery_id } : {}),
          }
        : {}),
      ...(p.duplicate ? { duplicate: true } : {}),
    });
  }

  function receive(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    answer: (status: number, body: unknown, close?: boolean) => void,
    reject: (status: number, reason: string, diagnosis?: string, close?: boolean) => void,
    pending: Pending,
  ): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== o.path) {
      req.resume();
      reject(404, `no receiver at ${path}; deliveries go to ${o.path}`);
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      reject(405, `${req.method} is not a delivery; Anchor POSTs`);
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(413, `body of ${declared} bytes is over the 1 MiB limit`, undefined, true);
      req.destroy();
      return;
    }
    // The headers first: a malformed, mismatched or stale request is refused without a byte of its
    // body kept or hashed; a well-formed one is hashed as it arrives and kept only until its HMAC
    // is known, so a stranger's 1 MiB costs one pass over it and no copy.
    const nowSeconds = Math.floor(o.now().getTime() / 1000);
    const secrets = o.secrets();
    const pre = precheckDelivery(req.headers, secrets, nowSeconds);
    const chunks: Buffer[] = [];
    let size = 0;
    let kept = 0;
    let stopped = false;
    // What the body holds of the memory budget, given back however the request ends.
    const lease = budget.lease(req.socket.remoteAddress);
    req.once('close', lease.release);
    req.on('data', (c: Buffer) => {
      if (stopped) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        stopped = true;
        chunks.length = 0;
        lease.release();
        reject(413, 'body over the 1 MiB limit', undefined, true);
        req.destroy();
        return;
      }
      if ('refuse' in pre) {
        // Refused on its headers: its body is not kept, but for the record a bounded prefix of it,
        // within the budget (past it, the record gets a shorter prefix).
        if (o.record && kept < REFUSED_BODY_KEEP) {
          const part = c.subarray(0, REFUSED_BODY_KEEP - kept);
          if (lease.take(part.length) === undefined) {
            chunks.push(part);
            kept += part.length;
          } else pending.truncated = true;
        }
        if (size > REFUSED_BODY_KEEP) pending.truncated = true;
        return;
      }
      const refusal = lease.take(c.length);
      if (refusal) {
        stopped = true;
        refuseOverBudget(res, reject, pending, chunks, refusal, req.socket.remoteAddress);
        lease.release();
        return;
      }
      for (const h of pre.hmacs) h.update(c);
      chunks.push(c);
    });
    req.on('end', () => {
      if (stopped) return;
      // The HMAC is known from here: the body is no longer a stranger's to hold in memory.
      lease.release();
      pending.body = Buffer.concat(chunks);
      if ('refuse' in pre) {
        const v = pre.refuse;
        if (v.result) pending.checks = v.result.checks;
        reject(
          v.status,
          v.reason,
          v.verifyInput && v.result ? diagnose(v.verifyInput, v.result, { deep: false })?.message : undefined,
        );
        return;
      }
      const digests = pre.hmacs.map((h) => h.digest('hex'));
      // Which v1= matched: a later one means the previous secret of a rotation.
      const matchedIndex = pre.signatures.findIndex((sig) => digests.some((d) => signaturesEqual(sig, d)));
      if (matchedIndex < 0) {
        // Refused on its HMAC. The body is looked at again only for a full diagnosis, within its budget.
        if (size <= DIAGNOSIS_MAX_BODY_BYTES && mayDiagnose()) {
          const v = checkDelivery(req.headers, Buffer.concat(chunks), secrets, nowSeconds);
          if (!v.ok && v.result) pending.checks = v.result.checks;
          if (!v.ok && v.verifyInput && v.result) {
            reject(v.status, v.reason, diagnose(v.verifyInput, v.result)?.message);
            return;
          }
        }
        reject(
          401,
          `signature check failed: ${signatureMismatchDetail(pre.tText, pre.signatures.length)}`,
          'not diagnosed here (many refusals, or a large body); run `anchor webhooks verify` on the request for the likely cause',
        );
        return;
      }
      const body = pending.body;
      // What the record says of the checks (nothing to build when there is no record).
      if (o.record)
        pending.checks = [
          { name: 'headers', ok: true, detail: 'present and well formed' },
          { name: 'freshness', ok: true, detail: `t=${pre.tText}` },
          {
            name: 'signature',
            ok: true,
            detail:
              matchedIndex === 0
                ? 'the first v1= matches'
                : `v1= number ${matchedIndex + 1} matches (a previous secret)`,
          },
        ];
      handle(req, res, body, matchedIndex, answer, reject, pending).catch((e: unknown) =>
        reject(500, `internal error in the receiver: ${(e as Error)?.message ?? String(e)}`, undefined, true),
      );
    });
    req.on('error', () => {
      // A client that went away: nothing to answer.
    });
  }

  /**
   * Past the memory budget: 503 with `Connection: close`, so the client retries later on a new
   * connection; the rest of its body is read and dropped until Node closes the socket after the answer.
   */
  function refuseOverBudget(
    res: http.ServerResponse,
    reject: (status: number, reason: string, diagnosis?: string, close?: boolean) => void,
    pending: Pending,
    chunks: Buffer[],
    refusal: BudgetRefusal,
    peer: string | undefined,
  ): void {
    // The record keeps what it keeps of any refused request: a prefix.
    const held = chunks.reduce((n, b) => n + b.length, 0);
    pending.body = Buffer.concat(chunks, Math.min(held, REFUSED_BODY_KEEP));
    pending.truncated = true;
    chunks.length = 0;
    res.setHeader('Retry-After', String(BUDGET_RETRY_AFTER_S));
    reject(
      503,
      refusal === 'process'
        ? `too many request bodies arriving at once (${limits.maxBufferedBodyBytes / 1048576} MiB held before their signatures are checked); try again in ${BUDGET_RETRY_AFTER_S}s`
        : `too many request bodies arriving at once from ${peer ?? 'one address'} (${limits.maxBufferedBodyBytesPerAddress / 1048576} MiB held before their signatures are checked); try again in ${BUDGET_RETRY_AFTER_S}s`,
      undefined,
      true,
    );
  }

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    matchedIndex: number,
    answer: (status: number, body: unknown) => void,
    reject: (status: number, reason: string, diagnosis?: string) => void,
    pending: Pending,
  ): Promise<void> {
    const nowMs = o.now().getTime();
    // The headers and the HMAC were checked as the request arrived: what is left is the envelope.
    const envelope = parseEnvelope(body);
    if (!envelope.ok) {
      reject(envelope.status, envelope.reason);
      return;
    }
    const verdict = { ...envelope, matchedIndex };
    const { id } = verdict;
    pending.event = { type: verdict.type, id, delivery_id: headerValue(req.headers, 'anchor-delivery-id') ?? null };
    if (nowMs - lastPrune > 60_000) {
      for (const [k, at] of seen) if (nowMs - at > DEDUPE_TTL_MS) seen.delete(k);
      lastPrune = nowMs;
    }
    if (seen.has(id)) {
      // Anchor redelivers when our answer was lost: acknowledge it (200), print and forward nothing,
      // or the delivery would end up `failed` on Anchor's side.
      o.onDuplicate?.(id);
      pending.duplicate = true;
      answer(200, { ok: true, duplicate: true });
      return;
    }
    if (inFlight.has(id)) {
      // The same envelope is being forwarded right now: ask for a retry, which Anchor makes.
      res.setHeader('Retry-After', '1');
      reject(429, `${id} is being forwarded to your app right now; try again`);
      return;
    }
    if (verdict.matchedIndex > 0) o.onPreviousSecret?.(id);
    if (o.events && !o.events.has(verdict.type)) {
      answer(200, { ignored: true, reason: `${verdict.type} is not in --events` });
      return;
    }
    const event: ReceivedEvent = {
      received_at: new Date(nowMs).toISOString(),
      id,
      type: verdict.type,
      text: verdict.text,
      delivery_id: headerValue(req.headers, 'anchor-delivery-id') ?? null,
    };
    if (!o.forwardTo) {
      seen.set(id, nowMs);
      o.onEvent(event, body);
      answer(200, { ok: true });
      return;
    }
    // Relay to the app and answer Anchor with the app's status, so Anchor's retries apply. The
    // request is in the record before the relay; the app's answer follows it there.
    writeRecord(req, pending, 0);
    inFlight.add(id);
    const started = process.hrtime.bigint();
    try {
      const app = await relay(o.forwardTo, req, body);
      const latency = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      o.record?.forward(pending.id, {
        url: o.forwardTo.toString(),
        status: app.status,
        latency_ms: latency,
        response_body: app.body.toString('utf8'),
      });
      if (app.status >= 200 && app.status < 300) seen.set(id, nowMs);
      o.onEvent(
        {
          ...event,
          forward: { status: app.status, latency_ms: latency, ...(app.truncated ? { truncated: true as const } : {}) },
        },
        body,
      );
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(app.status, {
          'Content-Type': app.contentType ?? 'text/plain',
          'Content-Length': app.body.length,
        });
        res.end(app.body);
      }
    } catch (e) {
      o.record?.forward(pending.id, {
        url: o.forwardTo.toString(),
        status: 0,
        latency_ms: 0,
        response_body: '',
        error: (e as Error).message,
      });
      o.onEvent({ ...event, forward: { error: (e as Error).message } }, body);
      answer(502, { error: `could not reach ${o.forwardTo.origin}: ${(e as Error).message}` });
    } finally {
      inFlight.delete(id);
    }
  }

  const { port, origin } = await listenOn(server, o.port, o.host);
  return { url: `${origin}${o.path}`, port, bufferedBodyBytes: () => budget.held, close: () => closeServer(server) };
}
