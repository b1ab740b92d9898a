// A request's line in the delivery record, from what the receiver learned of it as it was handled.
import type http from 'node:http';
import { claimsOf } from './record-claims.js';
import { newRecordId, REFUSED_BODY_KEEP, type Check, type RecordedRequest } from './record-types.js';

/** What is known of a request for its record, gathered as it is handled. */
export interface Pending {
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

/** The record line of a request answered `status` (0: forwarded, the app's status to follow). */
export function recordLine(req: http.IncomingMessage, p: Pending, status: number): RecordedRequest {
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
  return {
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
      : // Refused before its event was known: what it claimed, shown as unverified.
        claimsOf(headers, body)),
    ...(p.duplicate ? { duplicate: true } : {}),
  };
}
