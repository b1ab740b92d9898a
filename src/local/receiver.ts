// A webhook receiver that checks every request as Anchor's docs say a receiver must — headers,
// freshness, HMAC, duplicate envelope id — answers 400/401/409/413 to bad ones and keeps serving,
// and can relay verified deliveries to a local app, answering Anchor with the app's status.
//
// It sits behind a public tunnel, so every request is a stranger's until its HMAC says otherwise:
// what a stranger can make it do is bounded (one HMAC per secret, bodies of 1 MiB, 64 MiB of
// bodies held before their HMAC is known, the first byte and the headers in 10 s, a cap on
// connections), and nothing a request holds can throw past the handler. This module is the server;
// the checks are in delivery-checks.ts, the reading of a request in receiver-body.ts, what is done
// with a verified one in receiver-dispatch.ts, and its record line in record-line.ts.
import http from 'node:http';
import { closeServer, connectionCap, listenOn } from '../lib/serve.js';
import { tokenBucket } from '../lib/token-bucket.js';
import { capConnections, closeSilentConnections } from './connections.js';
import { BodyBudget } from './body-budget.js';
import { receiveRequest, type ReceiverState } from './receiver-body.js';
import { SeenEnvelopes } from './receiver-dispatch.js';
import { recordLine, type Pending } from './record-line.js';
import {
  DEFAULT_LIMITS,
  type Exchange,
  type ReceiverLimits,
  type ReceiverOptions,
  type RunningReceiver,
} from './receiver-types.js';

/** Full diagnoses of refused requests: 5 at once, then one every 2 seconds. */
const DIAGNOSIS_RATE = { burst: 5, perSecond: 0.5 };

export async function startReceiver(o: ReceiverOptions): Promise<RunningReceiver> {
  const limits: ReceiverLimits = { ...DEFAULT_LIMITS, maxConnections: connectionCap(), ...o.limits };
  const state: ReceiverState = {
    o,
    limits,
    budget: new BodyBudget(limits.maxBufferedBodyBytes, limits.maxBufferedBodyBytesPerAddress),
    seen: new SeenEnvelopes(),
    mayDiagnose: tokenBucket(DIAGNOSIS_RATE, () => o.now().getTime()),
  };

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
      const x = exchange(o, req, res);
      // Nothing a request holds may throw past here: a bug answers 500, and serving goes on.
      const fail = (e: unknown) => {
        try {
          x.reject(500, `internal error in the receiver: ${(e as Error)?.message ?? String(e)}`, undefined, true);
        } catch {
          res.destroy();
        }
      };
      try {
        receiveRequest(state, x);
      } catch (e) {
        fail(e);
      }
    },
  );
  // A client that breaks the HTTP framing gets Node's own answer (400, 408 or 431) and is closed.
  capConnections(server, limits.maxConnections);
  closeSilentConnections(server, limits.headersTimeoutMs);

  const { port, origin } = await listenOn(server, o.port, o.host);
  return {
    url: `${origin}${o.path}`,
    port,
    bufferedBodyBytes: () => state.budget.held,
    close: () => closeServer(server),
  };
}

/** One request's exchange: its record line is written once, before its answer. */
function exchange(o: ReceiverOptions, req: http.IncomingMessage, res: http.ServerResponse): Exchange {
  const pending: Pending = { at: o.now().getTime(), id: '', done: false };
  const record = (status: number) => {
    if (!o.record || pending.done) return;
    pending.done = true;
    o.record.request(recordLine(req, pending, status));
  };
  const answer = (status: number, body: unknown, close = false) => {
    record(status);
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
  return { req, res, pending, answer, reject, record };
}
