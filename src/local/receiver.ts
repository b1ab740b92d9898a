// A webhook receiver that checks every request as Anchor's docs say a receiver must — headers,
// freshness, HMAC, duplicate envelope id — answers 400/401/409/413 to bad ones and keeps serving,
// and can relay verified deliveries to a local app, answering Anchor with the app's status.
import http from 'node:http';
import { diagnose, verifyDelivery } from '../core/verify.js';
import { closeServer, listenOn } from '../lib/serve.js';

export const MAX_BODY_BYTES = 1024 * 1024;
const DEDUPE_TTL_MS = 24 * 3600 * 1000;
const FORWARD_TIMEOUT_MS = 10_000;

export interface ReceivedEvent {
  received_at: string;
  id: string;
  type: string;
  text: string;
  delivery_id: string | null;
  forward?: { status: number; latency_ms: number } | { error: string };
}

export interface Rejection {
  status: number;
  reason: string;
  diagnosis?: string;
}

export interface ReceiverOptions {
  port: number;
  host: string;
  path: string;
  /** The secrets a delivery may be signed with (current, and previous during a rotation). */
  secrets: () => readonly string[];
  events?: ReadonlySet<string>;
  forwardTo?: URL;
  toleranceSeconds?: number;
  now: () => Date;
  onEvent: (e: ReceivedEvent) => void;
  onReject: (r: Rejection) => void;
}

export interface RunningReceiver {
  url: string;
  port: number;
  close: () => Promise<void>;
}

const RELAYED_HEADERS = ['content-type', 'user-agent', 'anchor-event', 'anchor-delivery-id', 'anchor-timestamp', 'anchor-signature'];

function relay(url: URL, req: http.IncomingMessage, body: Buffer): Promise<{ status: number; body: Buffer; contentType?: string }> {
  const headers: Record<string, string> = { 'content-length': String(body.length) };
  for (const h of RELAYED_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  return new Promise((resolve, reject) => {
    const out = http.request(url, { method: 'POST', headers, timeout: FORWARD_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, body: Buffer.concat(chunks), ...(res.headers['content-type'] ? { contentType: res.headers['content-type'] } : {}) }));
      res.on('error', reject);
    });
    out.on('timeout', () => out.destroy(new Error(`no answer within ${FORWARD_TIMEOUT_MS / 1000}s`)));
    out.on('error', reject);
    out.end(body);
  });
}

export async function startReceiver(o: ReceiverOptions): Promise<RunningReceiver> {
  const seen = new Map<string, number>();
  const inFlight = new Set<string>();
  let lastPrune = 0;

  const server = http.createServer((req, res) => {
    const answer = (status: number, body: unknown, close = false) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...(close ? { Connection: 'close' } : {}) });
      res.end(text);
    };
    const reject = (status: number, reason: string, diagnosis?: string) => {
      o.onReject({ status, reason, ...(diagnosis ? { diagnosis } : {}) });
      answer(status, { error: reason });
    };
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
      o.onReject({ status: 413, reason: `body of ${declared} bytes is over the 1 MiB limit` });
      answer(413, { error: 'payload too large' }, true);
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        if (!tooLarge) {
          tooLarge = true;
          o.onReject({ status: 413, reason: 'body over the 1 MiB limit' });
          answer(413, { error: 'payload too large' }, true);
          req.destroy();
        }
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (tooLarge) return;
      void handle(req, res, Buffer.concat(chunks), answer, reject);
    });
    req.on('error', () => {
      // A client that went away: nothing to answer.
    });
  });

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    answer: (status: number, body: unknown) => void,
    reject: (status: number, reason: string, diagnosis?: string) => void,
  ): Promise<void> {
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const signatureHeader = header('anchor-signature');
    const timestampHeader = header('anchor-timestamp');
    if (!signatureHeader || !timestampHeader) {
      reject(400, `missing ${!signatureHeader ? 'Anchor-Signature' : 'Anchor-Timestamp'} header`);
      return;
    }
    const nowMs = o.now().getTime();
    const nowSeconds = Math.floor(nowMs / 1000);
    const secrets = o.secrets();
    let result = verifyDelivery({ secret: secrets[0]!, signatureHeader, timestampHeader, body, nowSeconds, toleranceSeconds: o.toleranceSeconds ?? 120 });
    for (const other of secrets.slice(1)) {
      if (result.valid) break;
      const again = verifyDelivery({ secret: other, signatureHeader, timestampHeader, body, nowSeconds, toleranceSeconds: o.toleranceSeconds ?? 120 });
      if (again.valid) result = again;
    }
    if (!result.valid) {
      const failed = result.checks.find((c) => !c.ok)!;
      const status = failed.name === 'headers' || failed.name === 'timestamp_match' ? 400 : 401;
      const why = diagnose({ secret: secrets[0]!, signatureHeader, timestampHeader, body, nowSeconds }, result);
      reject(status, `${failed.name} check failed: ${failed.detail}`, why?.message);
      return;
    }
    let envelope: { id?: unknown; type?: unknown; text?: unknown };
    try {
      envelope = JSON.parse(body.toString('utf8')) as typeof envelope;
    } catch {
      reject(400, 'the body is not JSON');
      return;
    }
    if (typeof envelope.id !== 'string' || typeof envelope.type !== 'string') {
      reject(400, 'the body is not an Anchor envelope (no id or type)');
      return;
    }
    const id = envelope.id;
    if (nowMs - lastPrune > 60_000) {
      for (const [k, at] of seen) if (nowMs - at > DEDUPE_TTL_MS) seen.delete(k);
      lastPrune = nowMs;
    }
    if (seen.has(id) || inFlight.has(id)) {
      reject(409, `duplicate delivery of ${id}: already processed`);
      return;
    }
    if (o.events && !o.events.has(envelope.type)) {
      answer(200, { ignored: true, reason: `${envelope.type} is not in --events` });
      return;
    }
    const event: ReceivedEvent = {
      received_at: new Date(nowMs).toISOString(),
      id,
      type: envelope.type,
      text: typeof envelope.text === 'string' ? envelope.text : '',
      delivery_id: header('anchor-delivery-id') ?? null,
    };
    if (!o.forwardTo) {
      seen.set(id, nowMs);
      o.onEvent(event);
      answer(200, { ok: true });
      return;
    }
    // Relay to the app and answer Anchor with the app's status, so Anchor's retries apply.
    inFlight.add(id);
    const started = process.hrtime.bigint();
    try {
      const app = await relay(o.forwardTo, req, body);
      const latency = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      if (app.status >= 200 && app.status < 300) seen.set(id, nowMs);
      o.onEvent({ ...event, forward: { status: app.status, latency_ms: latency } });
      if (!res.headersSent) {
        res.writeHead(app.status, { 'Content-Type': app.contentType ?? 'text/plain', 'Content-Length': app.body.length });
        res.end(app.body);
      }
    } catch (e) {
      o.onEvent({ ...event, forward: { error: (e as Error).message } });
      answer(502, { error: `could not reach ${o.forwardTo.origin}: ${(e as Error).message}` });
    } finally {
      inFlight.delete(id);
    }
  }

  // Slow or stalled clients must not pile up: a request has 30 s to arrive in full.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  const { port, origin } = await listenOn(server, o.port, o.host);
  return { url: `${origin}${o.path}`, port, close: () => closeServer(server) };
}
