// What `listen` does with a delivery whose HMAC matched: the envelope is checked, a duplicate is
// acknowledged (with --no-dedupe, handled again and marked), an event not in --events is skipped,
// and the rest is reported, and relayed to the app when there is one (re-signed with the
// forwarding secret under --register; Anchor then gets the app's answer).
import { headerValue, parseEnvelope } from './delivery-checks.js';
import { relay, RelayTimeout } from './relay.js';
import { newRecordId } from './record-types.js';
import { routeFor, routeLabel, type ForwardRoute } from './forward-routes.js';
import { isSlow } from './app-wait.js';
import type { Exchange, ReceivedEvent, ReceiverOptions } from './receiver-types.js';

/** What of the app's answer an event's line may show (--print-response): its start. */
export const RESPONSE_START_CHARS = 200;

const DEDUPE_TTL_MS = 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 60_000;

/** Envelope ids processed (kept 24 hours, for Anchor's redeliveries), and those being relayed now. */
export class SeenEnvelopes {
  private readonly at = new Map<string, number>();
  private lastPrune = 0;
  readonly inFlight = new Set<string>();

  /** Whether `id` was processed; forgets, at most once a minute, those older than the TTL. */
  has(id: string, nowMs: number): boolean {
    if (nowMs - this.lastPrune > PRUNE_EVERY_MS) {
      for (const [k, at] of this.at) if (nowMs - at > DEDUPE_TTL_MS) this.at.delete(k);
      this.lastPrune = nowMs;
    }
    return this.at.has(id);
  }

  add(id: string, nowMs: number): void {
    this.at.set(id, nowMs);
  }
}

/** Handles a delivery whose headers and HMAC were checked as it arrived; `body` is all of it. */
export async function dispatchDelivery(
  o: ReceiverOptions,
  seen: SeenEnvelopes,
  x: Exchange,
  body: Buffer,
  matchedIndex: number,
): Promise<void> {
  const { req, res, pending } = x;
  const nowMs = o.now().getTime();
  // The headers and the HMAC were checked as the request arrived: what is left is the envelope.
  const envelope = parseEnvelope(body);
  if (!envelope.ok) {
    x.reject(envelope.status, envelope.reason);
    return;
  }
  const verdict = { ...envelope, matchedIndex };
  const { id } = verdict;
  pending.event = { type: verdict.type, id, delivery_id: headerValue(req.headers, 'anchor-delivery-id') ?? null };
  const dedupe = o.dedupe !== false;
  // With --no-dedupe the app sees every copy (its own idempotency is what is being watched).
  const duplicate = !dedupe && (seen.has(id, nowMs) || seen.inFlight.has(id));
  if (duplicate) pending.duplicate = true;
  if (dedupe && seen.has(id, nowMs)) {
    // Anchor redelivers when our answer was lost: acknowledge it (200), print and forward nothing,
    // or the delivery would end up `failed` on Anchor's side.
    o.onDuplicate?.(id);
    pending.duplicate = true;
    x.answer(200, { ok: true, duplicate: true });
    return;
  }
  if (dedupe && seen.inFlight.has(id)) {
    // The same envelope is being forwarded right now: ask for a retry, which Anchor makes.
    res.setHeader('Retry-After', '1');
    x.reject(429, `${id} is being forwarded to your app right now; try again`);
    return;
  }
  if (verdict.matchedIndex > 0) o.onPreviousSecret?.(id);
  if (o.events && !o.events.has(verdict.type)) {
    x.answer(200, { ignored: true, reason: `${verdict.type} is not in --events` });
    return;
  }
  // The record id is made now, so the line printed for the event can name it.
  if (o.record) pending.id ||= newRecordId(pending.at);
  const event: ReceivedEvent = {
    received_at: new Date(nowMs).toISOString(),
    id,
    type: verdict.type,
    text: verdict.text,
    delivery_id: headerValue(req.headers, 'anchor-delivery-id') ?? null,
    ...(o.record ? { record_id: pending.id } : {}),
    ...(duplicate ? { duplicate: true as const } : {}),
  };
  const route = o.routes?.length ? routeFor(o.routes, verdict.type) : undefined;
  if (!route) {
    // Routes by type, none for this one: verified, acknowledged, said, and not an error.
    const unrouted = o.routes?.length ? { not_forwarded: `no route for ${verdict.type}` } : {};
    seen.add(id, nowMs);
    o.onEvent({ ...event, ...unrouted }, body);
    x.answer(200, { ok: true, ...unrouted });
    return;
  }
  await forward(o, route, seen, x, event, body, nowMs);
}

/**
 * Relays to the app and answers Anchor with the app's status, so Anchor's retries apply. The
 * request is in the record before the relay; the app's answer follows it there.
 */
async function forward(
  o: ReceiverOptions,
  route: ForwardRoute,
  seen: SeenEnvelopes,
  x: Exchange,
  event: ReceivedEvent,
  body: Buffer,
  nowMs: number,
): Promise<void> {
  const { req, res, pending } = x;
  const { id } = event;
  x.record(0);
  // With --no-dedupe copies may be relayed at once: only the first marks the envelope in flight.
  const marksInFlight = !seen.inFlight.has(id);
  if (marksInFlight) seen.inFlight.add(id);
  const started = process.hrtime.bigint();
  // Recorded, so that a replay "as received" sends what the app got, not Anchor's own signature.
  const resigned = o.forwardSecret !== undefined ? { resigned: true as const } : {};
  const to = route.url;
  const where = { url: to.toString(), ...routeLabel(route) };
  try {
    const app = await relay(to, req.headers, body, o.forwardSecret, o.forwardTimeoutMs);
    const latency = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
    const responseBody = app.body.toString('utf8');
    o.record?.forward(pending.id, {
      ...where,
      status: app.status,
      latency_ms: latency,
      response_body: responseBody,
      ...resigned,
    });
    if (app.status >= 200 && app.status < 300) seen.add(id, nowMs);
    o.onEvent(
      {
        ...event,
        forward: {
          ...where,
          status: app.status,
          latency_ms: latency,
          ...(app.truncated ? { truncated: true as const } : {}),
          ...(isSlow(latency, false) ? { slow: true as const } : {}),
          response_body:
            responseBody.length > RESPONSE_START_CHARS
              ? `${responseBody.slice(0, RESPONSE_START_CHARS - 1)}…`
              : responseBody,
        },
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
    const message = (e as Error).message;
    // Out of time is a gateway timeout, not an unreachable app: Anchor is told which it was.
    const timedOut = e instanceof RelayTimeout ? { timed_out: true as const } : {};
    o.record?.forward(pending.id, {
      ...where,
      status: 0,
      latency_ms: 0,
      response_body: '',
      error: message,
      ...timedOut,
      ...resigned,
    });
    o.onEvent(
      {
        ...event,
        forward: {
          ...where,
          error: message,
          ...timedOut,
          ...(e instanceof RelayTimeout ? { slow: true as const } : {}),
        },
      },
      body,
    );
    if (e instanceof RelayTimeout)
      x.answer(504, { error: `${to.origin} gave no complete answer within ${e.afterMs / 1000}s` });
    else x.answer(502, { error: `could not reach ${to.origin}: ${message}` });
  } finally {
    if (marksInFlight) seen.inFlight.delete(id);
  }
}
