// How `listen` reads a request: where and how it came, then its body, hashed as it arrives and
// held only within the memory budget until its HMAC is known. A request that fails is refused
// here; one whose HMAC matched goes on to dispatchDelivery.
import { diagnose, signatureMismatchDetail } from '../core/verify.js';
import { signaturesEqual } from '../core/signature.js';
import type { BodyBudget, BudgetRefusal } from './body-budget.js';
import { checkDelivery, precheckDelivery } from './delivery-checks.js';
import { dispatchDelivery, type SeenEnvelopes } from './receiver-dispatch.js';
import { MAX_BODY_BYTES, type Exchange, type ReceiverLimits, type ReceiverOptions } from './receiver-types.js';
import { REFUSED_BODY_KEEP } from './record-types.js';
import { HEALTH_PATH, isProbeToken, probeOf } from './listen-state.js';

/** Full diagnoses (dozens of HMACs) only for bodies this small, and only as often as mayDiagnose says. */
const DIAGNOSIS_MAX_BODY_BYTES = 64 * 1024;
/** How long a client refused by the memory budget is asked to wait: about as long as a slow body may hold it. */
const BUDGET_RETRY_AFTER_S = 10;

/** What every request of one receiver shares. */
export interface ReceiverState {
  o: ReceiverOptions;
  limits: ReceiverLimits;
  budget: BodyBudget;
  seen: SeenEnvelopes;
  /** A token for a full diagnosis of a refused request: those are for the owner, a few at a time. */
  mayDiagnose: () => boolean;
}

/** Answers a GET of the health path that carries this run's probe token; false for any other request. */
function answerProbe(o: ReceiverOptions, x: Exchange): boolean {
  const { req, res } = x;
  const given = probeOf(req.url ?? '');
  if (!o.health || req.method !== 'GET' || given === undefined || !isProbeToken(given, o.health.token)) return false;
  req.resume();
  o.health.onProbe?.();
  const text = '{"ok":true}';
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': text.length,
    'Cache-Control': 'no-store',
  });
  res.end(text);
  return true;
}

export function receiveRequest(s: ReceiverState, x: Exchange): void {
  const { o } = s;
  const { req, pending } = x;
  const path = (req.url ?? '/').split('?')[0];
  if (path === HEALTH_PATH && answerProbe(o, x)) return;
  if (path !== o.path) {
    req.resume();
    x.reject(404, `no receiver at ${path}; deliveries go to ${o.path}`);
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    x.reject(405, `${req.method} is not a delivery; Anchor POSTs`);
    return;
  }
  const secrets = o.secrets();
  // No secret yet (`listen --tunnel` registers its webhook only once the tunnel is proven): a
  // delivery cannot be verified, so it is not accepted; Anchor retries a 503.
  if (secrets.length === 0) {
    req.resume();
    x.res.setHeader('Retry-After', '5');
    x.reject(503, 'not ready: the webhook this listener verifies with is being registered; retry shortly');
    return;
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    x.reject(413, `body of ${declared} bytes is over the 1 MiB limit`, undefined, true);
    req.destroy();
    return;
  }
  // The headers first: a malformed, mismatched or stale request is refused without a byte of its
  // body kept or hashed; a well-formed one is hashed as it arrives and kept only until its HMAC
  // is known, so a stranger's 1 MiB costs one pass over it and no copy.
  const nowSeconds = Math.floor(o.now().getTime() / 1000);
  const pre = precheckDelivery(req.headers, secrets, nowSeconds);
  const chunks: Buffer[] = [];
  let size = 0;
  let kept = 0;
  let stopped = false;
  // What the body holds of the memory budget, given back however the request ends.
  const lease = s.budget.lease(req.socket.remoteAddress);
  req.once('close', lease.release);
  req.on('data', (c: Buffer) => {
    if (stopped) return;
    size += c.length;
    if (size > MAX_BODY_BYTES) {
      stopped = true;
      chunks.length = 0;
      lease.release();
      x.reject(413, 'body over the 1 MiB limit', undefined, true);
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
      refuseOverBudget(s.limits, x, chunks, refusal);
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
      x.reject(
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
      if (size <= DIAGNOSIS_MAX_BODY_BYTES && s.mayDiagnose()) {
        const v = checkDelivery(req.headers, Buffer.concat(chunks), secrets, nowSeconds);
        if (!v.ok && v.result) pending.checks = v.result.checks;
        if (!v.ok && v.verifyInput && v.result) {
          x.reject(v.status, v.reason, diagnose(v.verifyInput, v.result)?.message);
          return;
        }
      }
      x.reject(
        401,
        `signature check failed: ${signatureMismatchDetail(pre.tText, pre.signatures.length)}`,
        'not diagnosed here (many refusals, or a large body); run `anchor webhooks verify` on the request for the likely cause',
      );
      return;
    }
    // What the record says of the checks (nothing to build when there is no record).
    if (o.record)
      pending.checks = [
        { name: 'headers', ok: true, detail: 'present and well formed' },
        { name: 'freshness', ok: true, detail: `t=${pre.tText}` },
        {
          name: 'signature',
          ok: true,
          detail:
            matchedIndex === 0 ? 'the first v1= matches' : `v1= number ${matchedIndex + 1} matches (a previous secret)`,
        },
      ];
    dispatchDelivery(o, s.seen, x, pending.body, matchedIndex).catch((e: unknown) =>
      x.reject(500, `internal error in the receiver: ${(e as Error)?.message ?? String(e)}`, undefined, true),
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
function refuseOverBudget(limits: ReceiverLimits, x: Exchange, chunks: Buffer[], refusal: BudgetRefusal): void {
  const peer = x.req.socket.remoteAddress;
  // The record keeps what it keeps of any refused request: a prefix.
  const held = chunks.reduce((n, b) => n + b.length, 0);
  x.pending.body = Buffer.concat(chunks, Math.min(held, REFUSED_BODY_KEEP));
  x.pending.truncated = true;
  chunks.length = 0;
  x.res.setHeader('Retry-After', String(BUDGET_RETRY_AFTER_S));
  x.reject(
    503,
    refusal === 'process'
      ? `too many request bodies arriving at once (${limits.maxBufferedBodyBytes / 1048576} MiB held before their signatures are checked); try again in ${BUDGET_RETRY_AFTER_S}s`
      : `too many request bodies arriving at once from ${peer ?? 'one address'} (${limits.maxBufferedBodyBytesPerAddress / 1048576} MiB held before their signatures are checked); try again in ${BUDGET_RETRY_AFTER_S}s`,
    undefined,
    true,
  );
}
