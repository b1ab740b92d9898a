// check-receiver's results read together. One mistake shows in several checks (an app that
// verifies re-serialised JSON answers 401 to every correct delivery), and a fix per check would
// send people after causes they do not have: a failure with the same answer as accepts_valid's
// follows from it, accepts_valid's fix names the likely cause from the other results (another
// secret when every correctly signed delivery was refused, whatever its bytes; re-serialised JSON
// when some were accepted), and an Express 413 names the parser that answered. A crash (5xx)
// where a refusal was due is not a refusal.
import { RECEIVER_CHECKS, type ReceiverCheckId } from '../core/receiver-checks.js';
import { expressBodyLimit, frameworkFix, type ExpressParser, type Recognised } from '../core/receiver-frameworks.js';

/** What the causes need of a graded check (check-receiver's CheckResult has it all). */
export interface Graded {
  id: ReceiverCheckId;
  ok: boolean;
  /** 0 when there was no answer. */
  status: number;
  fix?: string;
  follows_from?: ReceiverCheckId;
}

const ROOT: ReceiverCheckId = 'accepts_valid';
const genericFix = (id: ReceiverCheckId): string => RECEIVER_CHECKS.find((c) => c.id === id)!.fix;
const expectsRefusal = (id: ReceiverCheckId) => RECEIVER_CHECKS.find((c) => c.id === id)!.expect === 'not 2xx';

/** A right answer to a delivery that must be refused: a refusal, not a crash (a 5xx makes Anchor retry). */
export const isRefusal = (status: number): boolean => status >= 300 && status < 500;

const answered = (status: number) => (status === 0 ? 'no answer' : `the same ${status}`);

/**
 * The check this failure follows from, when it got the answer a correct delivery got: the check
 * could not be judged (a 401 to a validly signed large body says nothing about the body's size).
 * `before` holds the checks already graded, accepts_valid first.
 */
export function followsFrom(failed: Graded, before: readonly Graded[]): ReceiverCheckId | undefined {
  const root = before.find((r) => r.id === ROOT);
  if (!root || root.ok || failed.id === ROOT || failed.status !== root.status) return undefined;
  // raw_body failing like accepts_valid is the evidence of the cause, and keeps its own fix.
  if (failed.id === 'raw_body') return undefined;
  return ROOT;
}

/** The fix of a check that follows from accepts_valid. */
export function followingFix(r: Graded, rawBodyFailedToo: boolean): string {
  const first = rawBodyFailedToo ? 'fix that first (the fix of raw_body names the likely cause)' : 'fix that first';
  const then = expectsRefusal(r.id)
    ? `, then check that this delivery is refused with a 4xx before anything can throw: ${genericFix(r.id)}`
    : ', then run check-receiver again.';
  const crashed = r.status >= 500 ? ' (your app crashed on both instead of answering)' : '';
  return `Follows from accepts_valid: a correct delivery got ${answered(r.status)}${crashed}, so this check could not be judged; ${first}${then}`;
}

/** The fix of a delivery that had to be refused and crashed the app instead. */
export function crashFix(id: ReceiverCheckId, status: number): string {
  return `Your app answered ${status}: it crashed instead of refusing, and Anchor retries a 5xx (its log has the error). ${genericFix(id)}`;
}

/**
 * What the correctly signed deliveries showed about the secret: one accepted proves it right;
 * every one refused, including a re-serialised form, says the receiver holds another secret; a
 * re-serialised form accepted when the others were refused says it verifies re-serialised JSON.
 */
export type SecretEvidence =
  | { kind: 'secret-works'; accepted: ReceiverCheckId[] }
  | { kind: 'every-signed-refused'; forms: string[] }
  | { kind: 'reserialised'; form: string }
  | { kind: 'unknown' };

const SIGNED_WITH = (source: string) =>
  `check-receiver signed with ${source}. Behind \`anchor webhooks listen\`, your app must hold the forwarding secret (\`anchor webhooks listen --print-secret\`), not the webhook's own; an app that Anchor delivers to directly holds the webhook's (give it with --secret-file)`;

/** The fix when every correctly signed delivery was refused, whatever its bytes: the secret first. */
export function wrongSecretFix(status: number, forms: readonly string[], source: string): string {
  const also = forms.length ? `, and re-written as ${forms.join(' and as ')}` : '';
  return `Your endpoint refuses every correctly signed delivery (answered ${status} to each), whatever the bytes of its JSON (compact, unusual formatting${also}): its secret is not the one these are signed with. A receiver that checks re-serialised JSON still accepts some of these. Check which secret it reads: ${SIGNED_WITH(source)}. If it reads that secret, check that it computes HMAC-SHA256 of \`v0:<t>:<raw body>\` over the raw bytes.`;
}

/**
 * What the checks that send a correctly signed delivery showed, before any probe: every one
 * refused is to be told apart by the probes (check-receiver-probes.ts).
 */
export function signedEvidence(results: readonly Graded[]): SecretEvidence {
  const signed = results.filter((r) => !expectsRefusal(r.id));
  const accepted = signed.filter((r) => r.ok).map((r) => r.id);
  if (accepted.length) return { kind: 'secret-works', accepted };
  // Only an authentication refusal blames the secret: a 400 to everything is more often a body the
  // route never gets raw (a parser ran first), which the raw_body diagnosis covers.
  if (signed.length && signed.every((r) => r.status === 401 || r.status === 403))
    return { kind: 'every-signed-refused', forms: [] };
  return { kind: 'unknown' };
}

/** accepts_valid's fix, from what the other checks showed. */
function acceptsValidFix(root: Graded, rawBody: Graded | undefined, evidence: SecretEvidence, source: string): string {
  const what =
    root.status === 0
      ? 'did not answer a correct delivery'
      : root.status >= 500
        ? `crashed on a correct delivery (answered ${root.status}; its log has the error)`
        : `refused a correct delivery (answered ${root.status})`;
  if (evidence.kind === 'every-signed-refused') return wrongSecretFix(root.status, evidence.forms, source);
  if (evidence.kind === 'reserialised')
    return `Your endpoint ${what}, yet it accepted the same kind of delivery re-written as ${evidence.form}: its secret is right, and it checks the signature over JSON it parsed and serialised again, not the raw bytes Anchor signed, which match only by luck. Read the raw body first: the fix of raw_body below.`;
  if (rawBody && !rawBody.ok && rawBody.status === root.status) {
    const passed =
      evidence.kind === 'secret-works' ? ` while ${evidence.accepted.join(', ')} passed (its secret is right)` : '';
    return `Your endpoint ${what}, and raw_body failed the same way${passed}: most likely it checks the signature over JSON it parsed (and serialised again), not the raw bytes Anchor signed, which match only by luck. Read the raw body first: the fix of raw_body below.${passed ? '' : ` If it already verifies the raw bytes, check that it uses the secret check-receiver signed with (${source}).`}`;
  }
  if (rawBody?.ok)
    return `Your endpoint ${what}, though raw_body, also a correct delivery, was accepted: its signature check works. Look at what it does with this delivery after verifying it, and answer 2xx within 10 s (do slow work after answering).`;
  if (root.status >= 500 || root.status === 0) return `Your endpoint ${what}. ${genericFix(ROOT)}`;
  return `Your endpoint ${what}: check that it uses the secret check-receiver signed with (${source}; behind \`anchor webhooks listen\`, the forwarding secret of \`anchor webhooks listen --print-secret\`), computes HMAC-SHA256 of \`v0:<t>:<raw body>\` over the raw bytes, and answers 2xx within 10 s (do slow work after answering).`;
}

/** Which Express parser answered large_body's 413: its development error page says; else raw_body's result. */
function expressParser(answer: string, rawBody: Graded | undefined): ExpressParser | undefined {
  if (/\bjsonParser\b/.test(answer)) return { parser: 'global-json', by: 'its error page names jsonParser' };
  if (/\brawParser\b/.test(answer)) return { parser: 'route-raw', by: 'its error page names rawParser' };
  if (rawBody && !rawBody.ok)
    return { parser: 'global-json', by: 'raw_body failed too: the body reached your route parsed' };
  if (rawBody?.ok) return { parser: 'route-raw', by: 'raw_body passed: the route reads the raw body' };
  return undefined;
}

/**
 * Words each failure's fix once every answer is in: the framework's way for the raw body and the
 * body limit, accepts_valid's likely cause, and what follows from it. `answers` holds each
 * check's answer text (for the parser that answered a 413).
 */
export function wordFixes(
  results: Graded[],
  answers: ReadonlyMap<ReceiverCheckId, string>,
  recognised: Recognised | undefined,
  where: { path: string; evidence: SecretEvidence; secretSource: string },
): void {
  const { path, evidence, secretSource } = where;
  const root = results.find((r) => r.id === ROOT && !r.ok);
  const rawBody = results.find((r) => r.id === 'raw_body');
  const wrongSecret = evidence.kind === 'every-signed-refused';
  // With another secret, raw_body's refusal is no evidence about the body: it repeats accepts_valid's.
  if (wrongSecret && root && rawBody && !rawBody.ok && rawBody.status === root.status) rawBody.follows_from = ROOT;
  const rawBodyFollows = Boolean(!wrongSecret && root && rawBody && !rawBody.ok && rawBody.status === root.status);
  for (const r of results) {
    if (r.ok) continue;
    if (r.follows_from) r.fix = followingFix(r, rawBodyFollows);
    else if (r.id === ROOT) r.fix = acceptsValidFix(r, rawBody, evidence, secretSource);
    else if (r.id === 'raw_body' && wrongSecret && isRefusal(r.status))
      r.fix = wrongSecretFix(r.status, evidence.forms, secretSource);
    else if (r.id === 'raw_body') r.fix = frameworkFix(genericFix(r.id), (f) => f.rawBody(path), recognised);
    else if (r.id === 'large_body') {
      const express = recognised?.id === 'express' && r.status === 413;
      const parser = express ? expressParser(answers.get(r.id) ?? '', rawBody) : undefined;
      r.fix = frameworkFix(
        genericFix(r.id),
        (f) => (f.id === 'express' && parser ? expressBodyLimit(path, parser) : f.bodyLimit(path)),
        recognised,
      );
    } else if (expectsRefusal(r.id) && r.status >= 500) r.fix = crashFix(r.id, r.status);
    else r.fix = genericFix(r.id);
  }
}
