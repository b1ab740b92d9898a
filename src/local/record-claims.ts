// What a refused request claimed to be: its event type, event id and delivery id, read from its
// headers and (when it parses) its body. A stranger's words, kept for the owner to see and marked
// unverified wherever they are shown; bounded, and never used to pick or sign anything.
import type { RecordedRequest } from './record-types.js';

/** A claim longer than this is cut: it is shown in a table cell, not trusted. */
const CLAIM_MAX = 200;
/** A body past this is not parsed for claims (a refused body is kept to 64 KiB anyway). */
const PARSE_MAX = 64 * 1024;

const claim = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v.slice(0, CLAIM_MAX) : undefined;

export type Claims = Pick<RecordedRequest, 'event_type' | 'event_id' | 'delivery_id'>;

export function claimsOf(headers: Record<string, string | string[]>, body: Buffer): Claims {
  let envelope: { type?: unknown; id?: unknown } = {};
  if (body.length > 0 && body.length <= PARSE_MAX) {
    try {
      const v: unknown = JSON.parse(body.toString('utf8'));
      if (v && typeof v === 'object' && !Array.isArray(v)) envelope = v as typeof envelope;
    } catch {
      // Not JSON: only the headers' claims.
    }
  }
  const eventType = claim(headers['anchor-event']) ?? claim(envelope.type);
  const eventId = claim(envelope.id);
  const deliveryId = claim(headers['anchor-delivery-id']);
  return {
    ...(eventType ? { event_type: eventType } : {}),
    ...(eventId ? { event_id: eventId } : {}),
    ...(deliveryId ? { delivery_id: deliveryId } : {}),
  };
}
