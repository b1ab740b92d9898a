// Explaining a failed verification by reproducing the usual mistakes (a re-serialised body, a
// newline added or lost, white space around the secret, milliseconds for seconds, ...): whichever
// variant makes the HMAC match is the likely cause.
import { HEX64, humanAge, matchIndex, type CheckName, type VerifyInput, type VerifyResult } from './verify-check.js';

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
