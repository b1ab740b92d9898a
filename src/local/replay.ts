// A recorded delivery sent again: re-signed with a fresh timestamp and the current secret (the
// app's checks pass), or exactly as received (the original bytes and headers); and the replay's
// own record, linked to its original. Shared by `anchor webhooks replay`, the inspector's buttons
// and the MCP `replay` tool (through the command).
import { newEventId } from '../core/event-examples.js';
import { deliveryHeaders, signatureHeader } from '../core/signature.js';
import { UsageError } from '../errors.js';
import type { DeliveryAnswer } from './deliver.js';
import { RecordWriter } from './record-writer.js';
import { newRecordId, type RecordedRequest } from './record-types.js';

/** Headers a relay must not copy: they describe the old connection, not the delivery. */
const HOP = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'expect']);

export interface ReplayRequest {
  headers: Record<string, string>;
  body: Buffer;
  /** With a new envelope id: that id. */
  eventId?: string;
}

export type ReplayHow =
  /** `forwardingSecret`: for a record listen forwarded re-signed, to send what the app received. */
  | { asReceived: true; forwardingSecret?: string }
  | { asReceived: false; secret: string; nowSeconds: number; body?: Buffer; newId?: boolean };

/** Whether a record's "as received" needs the forwarding secret (listen --register re-signed it). */
export const forwardedResigned = (r: RecordedRequest): boolean => r.forward?.resigned === true;

/** The envelope with a fresh `id` in Anchor's format, so an app that deduplicates takes it again. */
function withNewId(r: RecordedRequest, body: Buffer): { body: Buffer; eventId: string } {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body.toString('utf8'));
  } catch {
    envelope = undefined;
  }
  if (!envelope || typeof envelope !== 'object' || Array.isArray(envelope))
    throw new UsageError(`--new-id changes the envelope's "id", and the body of ${r.id} is not a JSON object`, {
      hint: 'Replay it without --new-id, or with --edit to fix the body first.',
    });
  const eventId = newEventId();
  return { body: Buffer.from(JSON.stringify({ ...envelope, id: eventId })), eventId };
}

export function replayRequest(r: RecordedRequest, how: ReplayHow): ReplayRequest {
  if (how.asReceived) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) if (!HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const body = Buffer.from(r.body_b64, 'base64');
    // What the app got under --register: the same bytes and timestamp, signed as listen re-signed them.
    if (forwardedResigned(r) && how.forwardingSecret !== undefined)
      headers['anchor-signature'] = signatureHeader([how.forwardingSecret], Number(headers['anchor-timestamp']), body);
    return { headers, body };
  }
  let body = how.body ?? Buffer.from(r.body_b64, 'base64');
  let eventId: string | undefined;
  if (how.newId) ({ body, eventId } = withNewId(r, body));
  const original = (name: string) => {
    const v = r.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  return {
    body,
    ...(eventId ? { eventId } : {}),
    headers: deliveryHeaders({
      secrets: [how.secret],
      timestamp: how.nowSeconds,
      body,
      eventType: r.event_type ?? original('anchor-event') ?? 'unknown',
      // The delivery's own id, as Anchor's retries keep it.
      deliveryId: r.delivery_id ?? original('anchor-delivery-id') ?? r.id,
    }),
  };
}

export interface ReplayRecordContext {
  env: Record<string, string | undefined>;
  /** Removes every secret known to the caller from what is stored (the app may echo one). */
  redact: (text: string) => string;
  now: () => Date;
}

/**
 * Appends the replay's record: the bytes sent, the headers, the app's answer (or why it was not
 * reached), and `replay_of`. It goes in a segment of this process's own, so a `listen` writing the
 * same folder is never written into. Returns the new record's id.
 */
export function recordReplay(
  x: ReplayRecordContext,
  original: RecordedRequest,
  sent: ReplayRequest,
  url: URL,
  answer: DeliveryAnswer | { error: string },
): string {
  const nowMs = x.now().getTime();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(sent.headers)) headers[k.toLowerCase()] = v;
  const forward =
    'error' in answer
      ? { url: url.toString(), status: 0, latency_ms: 0, response_body: '', error: answer.error }
      : { url: url.toString(), status: answer.status, latency_ms: answer.latencyMs, response_body: answer.body };
  const deliveryId = headers['anchor-delivery-id'] ?? original.delivery_id;
  const record: RecordedRequest = {
    id: newRecordId(nowMs),
    received_at: new Date(nowMs).toISOString(),
    method: 'POST',
    path: `${url.pathname}${url.search}`,
    headers,
    body_b64: sent.body.toString('base64'),
    // The original's verdict: a refused request sent again is still a stranger's.
    verdict: original.verdict,
    status: 'error' in answer ? 502 : answer.status,
    ...(original.event_type ? { event_type: original.event_type } : {}),
    ...((sent.eventId ?? original.event_id) ? { event_id: sent.eventId ?? original.event_id } : {}),
    ...(deliveryId ? { delivery_id: deliveryId } : {}),
    replay_of: original.id,
    forward,
  };
  const writer = RecordWriter.open(x.env, x.redact, () => x.now().getTime());
  try {
    writer.request(record);
  } finally {
    writer.close();
  }
  return record.id;
}
