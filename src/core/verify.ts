// Checking a delivery the way Anchor's docs say a receiver must, and explaining a failure by
// reproducing the usual mistakes: whichever variant makes the HMAC match is the likely cause.
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

const HEX64 = /^[0-9a-f]{64}$/;
// Up to 15 digits: Unix seconds, or milliseconds by mistake (13 digits), never past what a Date
// can hold. Anything longer is malformed, not a time far in the future.
const UNIX_TIME = /^\d{1,15}$/;

function matchIndex(signatures: readonly string[], key: string | Buffer, t: string, body: Buffer): number {
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

export type Cause =
  | 'body_reserialized'
  | 'trailing_newline_added'
  | 'trailing_newline_lost'
  | 'secret_whitespace'
  | 'secret_hex_decoded'
  | 'timestamp_milliseconds'
  | 'stale'
  | 'previous_secret'
  | 'wrong_secret'
  | 'malformed_headers'
  | 'timestamp_mismatch'
  | 'body_empty';

export interface Diagnosis {
  cause: Cause;
  message: string;
}

function bodyVariants(body: Buffer): Array<{ body: Buffer; cause?: Cause; what: string }> {
  const text = body.toString('utf8');
  const out: Array<{ body: Buffer; cause?: Cause; what: string }> = [{ body, what: 'as given' }];
  // The smallest change first: a newline added or lost explains more than a re-serialisation.
  if (text.endsWith('\r\n'))
    out.push({
      body: Buffer.from(text.slice(0, -2)),
      cause: 'trailing_newline_added',
      what: 'without the trailing CRLF',
    });
  if (text.endsWith('\n'))
    out.push({
      body: Buffer.from(text.slice(0, -1)),
      cause: 'trailing_newline_added',
      what: 'without the trailing newline',
    });
  else out.push({ body: Buffer.from(`${text}\n`), cause: 'trailing_newline_lost', what: 'with a trailing newline' });
  try {
    const value: unknown = JSON.parse(text);
    for (const [indent, label] of [
      [undefined, 'compact'],
      [2, 'pretty (2-space)'],
      [4, 'pretty (4-space)'],
      ['\t', 'pretty (tab)'],
    ] as const) {
      const again = JSON.stringify(value, null, indent);
      for (const [variant, note] of [
        [again, ''],
        [`${again}\n`, ', plus a newline'],
      ] as const) {
        if (variant !== text)
          out.push({
            body: Buffer.from(variant),
            cause: 'body_reserialized',
            what: `${label} JSON of the same value${note}`,
          });
      }
    }
  } catch {
    // Not JSON: no re-serialisation to try.
  }
  return out;
}

function keyVariants(secret: string): Array<{ key: string | Buffer; cause?: Cause; what: string }> {
  const out: Array<{ key: string | Buffer; cause?: Cause; what: string }> = [{ key: secret, what: 'as given' }];
  const trimmed = secret.trim();
  if (trimmed !== secret) out.push({ key: trimmed, cause: 'secret_whitespace', what: 'trimmed' });
  for (const extra of ['\n', '\r\n', ' '])
    out.push({ key: `${trimmed}${extra}`, cause: 'secret_whitespace', what: `with ${JSON.stringify(extra)} after it` });
  if (/^([0-9a-f]{2})+$/i.test(trimmed))
    out.push({ key: Buffer.from(trimmed, 'hex'), cause: 'secret_hex_decoded', what: 'hex-decoded' });
  return out;
}

const MESSAGES: Record<Cause, (detail: string) => string> = {
  body_reserialized: (d) =>
    `the body was re-serialised: the signature matches the ${d}. Anchor signs the raw bytes it sent; verify those, before any JSON parsing (bypass body-parser, express.json(), FastAPI Body(), gin BindJSON for this route).`,
  trailing_newline_added: (d) =>
    `a trailing newline was added to the body: the signature matches the body ${d}. Verify the raw bytes as received (editors and \`echo\` add one).`,
  trailing_newline_lost: () =>
    'the body lost its trailing newline: the signature matches it with one. Verify the raw bytes as received.',
  secret_whitespace: (d) =>
    `white space around the secret: the signature matches the secret ${d}. Strip the newline or spaces your secret picked up (from a file, .env or copy-paste).`,
  secret_hex_decoded: () =>
    'the secret was hex-decoded: the signature matches the hex-decoded bytes of the secret. Anchor keys the HMAC with the secret string itself (its UTF-8 bytes); do not decode it.',
  timestamp_milliseconds: (d) =>
    `the timestamp is in milliseconds (${d}); Anchor-Timestamp is Unix seconds. Use Math.floor(Date.now() / 1000), time.time() or time.Now().Unix().`,
  stale: (d) =>
    `the delivery is ${d} old, past the 2-minute replay window: a replayed or stored delivery. Anchor re-signs every retry with a fresh timestamp, so a live delivery is never this old; check the server clock if it should be fresh.`,
  previous_secret: () =>
    "this delivery was signed during a secret rotation, and your secret matches the previous secret's signature. It still verifies, but the old secret stops signing 24 hours after the rotation: switch to the new one.",
  wrong_secret: (d) =>
    `no usual mistake reproduces the signature, so the secret is most likely not this webhook's${d}. Each webhook has its own secret; after \`rotate-secret\` the old one keeps signing for only 24 hours.`,
  malformed_headers: (d) =>
    `the headers are malformed: ${d}. Pass the Anchor-Signature header value exactly as received (t=…,v1=…).`,
  timestamp_mismatch: (d) => `${d}: the signature header and the timestamp header come from different deliveries.`,
  body_empty: () =>
    'the body is empty. Anchor signs the raw request body; pass exactly what your handler received (--payload body.json, or --payload - to read stdin). A handler that sees an empty body usually read the stream twice, or parsed it before verifying.',
};

function diagnosis(cause: Cause, detail = ''): Diagnosis {
  return { cause, message: MESSAGES[cause](detail) };
}

/** An ISO time for Unix milliseconds, or the number itself when no Date can hold it. */
function isoOrNumber(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/**
 * The likely cause of a failed (or rotation-matched) verification. `deep: false` skips the
 * re-computations (dozens of HMACs over variants of the body): what is left costs nothing.
 */
export function diagnose(
  input: VerifyInput,
  result: VerifyResult,
  options: { deep?: boolean } = {},
): Diagnosis | undefined {
  const deep = options.deep !== false;
  const check = (n: CheckName) => result.checks.find((c) => c.name === n);
  const sigOk = check('signature')?.ok === true;
  if (result.valid)
    return result.matchedIndex !== undefined && result.matchedIndex > 0 ? diagnosis('previous_secret') : undefined;
  // No v1= that could be a signature at all: the header is malformed; the secret is not to blame.
  if (check('headers')?.ok === false && result.signatures.every((s) => !HEX64.test(s)))
    return diagnosis('malformed_headers', check('headers')!.detail);
  if (check('timestamp_match')?.ok === false) return diagnosis('timestamp_mismatch', check('timestamp_match')!.detail);

  const t = result.timestamp;
  if (t !== undefined && t >= 1e12) return diagnosis('timestamp_milliseconds', `t=${t}, ${isoOrNumber(t)}`);
  if (!deep) {
    // Without re-computing, only the age can be told: a stale delivery is refused before its HMAC.
    return check('freshness')?.ok === false && t !== undefined
      ? diagnosis('stale', humanAge(Math.abs(input.nowSeconds - t)))
      : undefined;
  }
  if (input.body.length === 0 && !sigOk) return diagnosis('body_empty');
  if (!sigOk && t !== undefined) {
    const tText = String(t);
    for (const k of keyVariants(input.secret)) {
      for (const b of bodyVariants(input.body)) {
        if (!k.cause && !b.cause) continue;
        if (matchIndex(result.signatures, k.key, tText, b.body) >= 0) {
          return k.cause && (!b.cause || k.cause === 'secret_hex_decoded')
            ? diagnosis(k.cause, k.what)
            : diagnosis(b.cause!, b.what);
        }
      }
    }
    // Signed with milliseconds in the signed string but seconds in the header.
    if (matchIndex(result.signatures, input.secret, `${tText}000`, input.body) >= 0) {
      return diagnosis('timestamp_milliseconds', 'the signed string used milliseconds');
    }
  }
  const stale =
    check('freshness')?.ok === false && t !== undefined ? humanAge(Math.abs(input.nowSeconds - t)) : undefined;
  if (sigOk) return stale ? diagnosis('stale', stale) : undefined;
  const notes = [
    ...(result.signatures.length > 1
      ? [`the header carries ${result.signatures.length} signatures, for a rotation in progress, and none matches`]
      : []),
    ...(stale ? [`the delivery is also ${stale} old`] : []),
  ];
  return diagnosis('wrong_secret', notes.length ? ` (${notes.join('; ')})` : '');
}
