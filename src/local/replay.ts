// A recorded delivery sent again: re-signed with a fresh timestamp and the current secret (the
// app's checks pass), or exactly as received (the original bytes and headers). Shared by
// `anchor webhooks replay`, the inspector's buttons and the MCP `replay` tool (through the command).
import { deliveryHeaders } from '../core/signature.js';
import type { RecordedRequest } from './record.js';

/** Headers a relay must not copy: they describe the old connection, not the delivery. */
const HOP = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'expect']);

export interface ReplayRequest {
  headers: Record<string, string>;
  body: Buffer;
}

export function replayRequest(
  r: RecordedRequest,
  how: { asReceived: true } | { asReceived: false; secret: string; nowSeconds: number; body?: Buffer },
): ReplayRequest {
  if (how.asReceived) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) if (!HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    return { headers, body: Buffer.from(r.body_b64, 'base64') };
  }
  const body = how.body ?? Buffer.from(r.body_b64, 'base64');
  const original = (name: string) => {
    const v = r.headers[name];
    return typeof v === 'string' ? v : undefined;
  };
  return {
    body,
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
