// The checks a receiver must make of a delivery, as Anchor's docs say (headers, freshness, HMAC,
// an envelope with an id and a type), cheaply: pure functions, fuzzed without a socket.
import { createHmac, type Hmac } from 'node:crypto';
import { verifyDelivery, type VerifyInput, type VerifyResult } from '../core/verify.js';
import { parseSignatureHeader } from '../core/signature.js';

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

export const headerValue = (headers: RequestHeaders, name: string): string | undefined => {
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
