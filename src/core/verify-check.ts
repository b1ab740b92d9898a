// Checking a delivery the way Anchor's docs say a receiver must: its headers, that its two
// timestamps agree, its age within the replay window, and its HMAC against every v1= signature.
import { computeSignature, parseSignatureHeader, REPLAY_WINDOW_SECONDS, signaturesEqual } from './signature.js';

export type CheckName = 'headers' | 'timestamp_match' | 'freshness' | 'signature';

export interface Check {
  name: CheckName;
  ok: boolean;
  detail: string;
}

export interface VerifyInput {
  /** The secret as the receiver has it. */
  secret: string;
  signatureHeader: string | undefined;
  /** The Anchor-Timestamp header, when known. */
  timestampHeader?: string | undefined;
  body: Buffer;
  nowSeconds: number;
  toleranceSeconds?: number;
  /**
   * Stop at the first failed check, so a request that fails on its headers or its age costs no
   * HMAC. A receiver facing strangers wants this; `verify`, which explains, does not.
   */
  stopAtFirstFailure?: boolean;
}

export interface VerifyResult {
  valid: boolean;
  checks: Check[];
  /** Which v1= entry matched (0 = the first, the current secret). */
  matchedIndex?: number;
  timestamp?: number;
  signatures: string[];
}

export const HEX64 = /^[0-9a-f]{64}$/;
// Up to 15 digits: Unix seconds, or milliseconds by mistake (13 digits), never past what a Date
// can hold. Anything longer is malformed, not a time far in the future.
const UNIX_TIME = /^\d{1,15}$/;

/** Which of the signatures the HMAC of `t` and the body under this key matches, or -1. */
export function matchIndex(signatures: readonly string[], key: string | Buffer, t: string, body: Buffer): number {
  const expected = computeSignature(key, t, body);
  return signatures.findIndex((s) => signaturesEqual(s, expected));
}

/** The docs' checks, in order. Later checks still run after a failure, for the diagnosis. */
export function verifyDelivery(input: VerifyInput): VerifyResult {
  const tolerance = input.toleranceSeconds ?? REPLAY_WINDOW_SECONDS;
  const checks: Check[] = [];
  const header = input.signatureHeader?.trim() ?? '';
  const parsed = parseSignatureHeader(header);
  const sigs = parsed.signatures;
  const problems: string[] = [];
  if (!header) problems.push('the Anchor-Signature header is missing');
  else {
    if (parsed.timestamp === undefined) problems.push('Anchor-Signature has no t= part');
    else if (parsed.timestampCount > 1)
      problems.push(`Anchor-Signature has ${parsed.timestampCount} t= parts; a delivery has one`);
    else if (!UNIX_TIME.test(parsed.timestamp)) problems.push(`t=${parsed.timestamp} is not a Unix time in seconds`);
    if (sigs.length === 0) problems.push('Anchor-Signature has no v1= part');
    else if (!sigs.every((s) => HEX64.test(s))) problems.push('a v1= value is not 64 lowercase hex characters');
  }
  if (input.timestampHeader !== undefined && !UNIX_TIME.test(input.timestampHeader.trim())) {
    problems.push(`Anchor-Timestamp "${input.timestampHeader}" is not a Unix time in seconds`);
  }
  checks.push({
    name: 'headers',
    ok: problems.length === 0,
    detail: problems.length
      ? problems.join('; ')
      : `t=${parsed.timestamp}, ${sigs.length} v1= signature${sigs.length === 1 ? '' : 's'}`,
  });

  const tText = parsed.timestamp ?? input.timestampHeader?.trim();
  if (input.timestampHeader !== undefined && parsed.timestamp !== undefined) {
    const same = input.timestampHeader.trim() === parsed.timestamp;
    checks.push({
      name: 'timestamp_match',
      ok: same,
      detail: same
        ? 't= equals Anchor-Timestamp'
        : `t=${parsed.timestamp} but Anchor-Timestamp is ${input.timestampHeader.trim()}`,
    });
  }

  const t = tText !== undefined && UNIX_TIME.test(tText) ? Number(tText) : undefined;
  if (t !== undefined) {
    const age = input.nowSeconds - t;
    const ok = Math.abs(age) <= tolerance;
    checks.push({
      name: 'freshness',
      ok,
      detail: ok
        ? `${Math.abs(age)}s ${age >= 0 ? 'old' : 'in the future'}, within ${tolerance}s`
        : `${humanAge(Math.abs(age))} ${age >= 0 ? 'old' : 'in the future'}; at most ${tolerance}s either way is accepted`,
    });
  } else {
    checks.push({ name: 'freshness', ok: false, detail: 'no usable timestamp' });
  }

  let matchedIndex: number | undefined;
  if (input.stopAtFirstFailure && checks.some((c) => !c.ok)) {
    checks.push({ name: 'signature', ok: false, detail: 'not checked: an earlier check failed' });
  } else if (tText !== undefined && sigs.length > 0) {
    const i = matchIndex(sigs, input.secret, tText, input.body);
    if (i >= 0) matchedIndex = i;
    checks.push({
      name: 'signature',
      ok: i >= 0,
      detail: i >= 0 ? `HMAC-SHA256 matches v1= #${i + 1}` : signatureMismatchDetail(tText, sigs.length),
    });
  } else {
    checks.push({ name: 'signature', ok: false, detail: 'nothing to compare: no timestamp or no v1= value' });
  }
  return {
    valid: checks.every((c) => c.ok),
    checks,
    ...(matchedIndex === undefined ? {} : { matchedIndex }),
    ...(t === undefined ? {} : { timestamp: t }),
    signatures: sigs,
  };
}

/** The signature check's detail when no v1= matches. */
export function signatureMismatchDetail(tText: string, count: number): string {
  return `HMAC-SHA256 of "v0:${tText}:<body>" with this secret matches none of the ${count} v1= value${count === 1 ? '' : 's'}`;
}

export function humanAge(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} minutes`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} hours`;
  return `${Math.round(seconds / 86400)} days`;
}
