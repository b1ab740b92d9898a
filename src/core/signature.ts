// Anchor's signature scheme: HMAC-SHA256 over `v0:{timestamp}:{raw body}`, keyed with the secret
// string's UTF-8 bytes, hex digest, sent as `Anchor-Signature: t=<unix seconds>,v1=<hex>[,v1=…]`.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const REPLAY_WINDOW_SECONDS = 120;

export function computeSignature(secret: string | Buffer, timestamp: number | string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex');
}

/** The header value: one `v1=` per secret (several during a rotation's 24-hour overlap). */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string | Buffer): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${computeSignature(s, timestamp, body)}`)].join(',');
}

export interface ParsedSignature {
  timestamp: string | undefined;
  /** How many t= parts there were: more than one is ambiguous, and refused. */
  timestampCount: number;
  signatures: string[];
}

export function parseSignatureHeader(header: string): ParsedSignature {
  const out: ParsedSignature = { timestamp: undefined, timestampCount: 0, signatures: [] };
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      out.timestamp = value;
      out.timestampCount++;
    } else if (key === 'v1') out.signatures.push(value);
  }
  return out;
}

/** Constant-time comparison of two hex digests. */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The headers Anchor sends with a delivery, signed for `body`. */
export function deliveryHeaders(opts: {
  secrets: readonly string[];
  timestamp: number;
  body: string | Buffer;
  eventType: string;
  deliveryId: string;
}): Record<string, string> {
  return {
    'User-Agent': 'Anchor-Webhooks/1.0',
    'Content-Type': 'application/json',
    'Anchor-Event': opts.eventType,
    'Anchor-Delivery-Id': opts.deliveryId,
    'Anchor-Timestamp': String(opts.timestamp),
    'Anchor-Signature': signatureHeader(opts.secrets, opts.timestamp, opts.body),
  };
}
