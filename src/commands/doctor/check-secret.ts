// doctor's `secret` check: does the secret the user has (--secret-file, ANCHOR_WEBHOOK_SECRET, else
// the forwarding secret, as replay finds one) verify the newest delivery `listen` recorded? A
// verified record carries Anchor's own signature; without one, the newest refused request that
// carries a signature tells "your secret is not the one Anchor signs with" (or that listen had
// the wrong one). Only signatures are compared: the secret is never shown, and nothing is signed.
import type { Context } from '../../context.js';
import { CliError } from '../../errors.js';
import { computeSignature, parseSignatureHeader, signaturesEqual } from '../../core/signature.js';
import { findLocalSecret, forwardingSecretOf, type LocalSecret } from '../../local/local-secret.js';
import { findRecord, readRecords, type RecordedRequest } from '../../local/record.js';
import { isVerifiedOriginal } from '../../local/record-select.js';
import { appTookIt } from './check-app.js';
import { failed, passed, skipped, type DoctorCheck } from './report.js';

const signatureOf = (r: RecordedRequest): string | undefined => {
  const h = r.headers['anchor-signature'];
  return Array.isArray(h) ? h[0] : h;
};

/** Whether `secret` made one of the record's signatures (a rotation's overlap sends two). */
function verifies(secret: string, r: RecordedRequest): boolean {
  const header = signatureOf(r);
  if (header === undefined || r.body_truncated) return false;
  const { timestamp, signatures } = parseSignatureHeader(header);
  if (timestamp === undefined) return false;
  const expected = computeSignature(secret, timestamp, Buffer.from(r.body_b64, 'base64'));
  return signatures.some((s) => signaturesEqual(expected, s));
}

/** The newest record `accept` keeps, with its body. */
function newest(ctx: Context, accept: (r: RecordedRequest) => boolean): RecordedRequest | undefined {
  const nowMs = ctx.now().getTime();
  const [head] = readRecords(ctx.env, { nowMs, where: accept, limit: 1 });
  return head && findRecord(ctx.env, head.id, { nowMs });
}

const describe = (r: RecordedRequest) =>
  `${r.id}${r.event_type ? ` (${r.event_type}${r.event_id ? ` ${r.event_id}` : ''})` : ''}, received ${r.received_at}`;

const WRONG_FIX =
  "Use the secret shown when the webhook was created (the file of `webhooks create --secret-file`); if it is lost, `anchor webhooks rotate-secret <id>` makes a new one (then update your app's too). Behind `listen --register` or `--tunnel`, your app verifies with the forwarding secret: `anchor webhooks listen --print-secret`.";
// A temporary webhook's secret is listen's alone, and rotating it changes nothing for the app.
const FORWARDING_FIX =
  'listen re-signed it for your app (`listen --register` or `--tunnel`): your app verifies with the forwarding secret. Put what `anchor webhooks listen --print-secret` prints in its .env (ANCHOR_WEBHOOK_SECRET), or check with `anchor doctor` without --secret-file.';

/** The secret found and where from, or why the forwarding secret's file could not be used. */
export type DoctorSecret = (LocalSecret & { source: string }) | { unusable: CliError } | undefined;

/**
 * The secret, found before anything is sent: a --secret-file that cannot be read is a usage error,
 * but a forwarding secret's file that cannot be trusted (nobody named it) is this check's failure.
 */
export async function findDoctorSecret(ctx: Context, secretFile: string | undefined): Promise<DoctorSecret> {
  let found: LocalSecret | undefined;
  try {
    found = await findLocalSecret(ctx, secretFile);
  } catch (e) {
    if (!(e instanceof CliError) || secretFile !== undefined) throw e;
    return { unusable: e };
  }
  if (!found) return undefined;
  const source =
    secretFile !== undefined
      ? `the secret in ${secretFile === '-' ? '(stdin)' : secretFile}`
      : found.forwardingPath !== undefined
        ? `the forwarding secret (${found.forwardingPath})`
        : 'ANCHOR_WEBHOOK_SECRET';
  return { ...found, source };
}

export function secretCheck(ctx: Context, found: DoctorSecret): DoctorCheck {
  if (!found)
    return skipped(
      'secret',
      'no secret to check: give --secret-file <path> or ANCHOR_WEBHOOK_SECRET (or make the forwarding secret with `anchor webhooks listen --print-secret`)',
    );
  if ('unusable' in found)
    return failed(
      'secret',
      `the forwarding secret could not be read: ${found.unusable.message}`,
      found.unusable.hint ?? 'Give the secret your app verifies with: --secret-file <path> or ANCHOR_WEBHOOK_SECRET.',
    );
  const verified = newest(ctx, isVerifiedOriginal);
  if (verified) {
    const matches = verifies(found.secret, verified);
    const resigned = verified.forward?.resigned === true;
    const isForwarding = found.secret === forwardingSecretOf(ctx);
    if (resigned && isForwarding)
      return passed(
        'secret',
        appTookIt(verified)
          ? `${found.source} signed ${describe(verified)} as listen forwarded it to your app`
          : `${found.source} is the forwarding secret, which listen re-signed ${describe(verified)} with for your app; but the app did not take it (see app)`,
      );
    if (matches && resigned)
      return failed(
        'secret',
        `${found.source} verifies Anchor's signature of ${describe(verified)}, but listen re-signed it for your app with the forwarding secret`,
        'Your app must verify with the forwarding secret: put what `anchor webhooks listen --print-secret` prints in its .env.',
      );
    if (matches)
      return passed('secret', `${found.source} verifies the newest recorded delivery, ${describe(verified)}`);
    return failed(
      'secret',
      `${found.source} does not verify the newest recorded delivery, ${describe(verified)}: it is not the secret Anchor signs with${resigned ? ', nor the forwarding secret listen re-signed it with for your app' : ''}`,
      resigned ? FORWARDING_FIX : WRONG_FIX,
    );
  }
  const refused = newest(ctx, (r) => r.verdict === 'refused' && signatureOf(r) !== undefined);
  if (!refused)
    return skipped('secret', 'no delivery recorded yet to check it against (`anchor webhooks listen` records them)');
  if (verifies(found.secret, refused))
    return failed(
      'secret',
      `${found.source} verifies ${describe(refused)}, which listen refused (${refused.reason ?? refused.status}): listen checked it with another secret, or against a skewed clock`,
      'Start `anchor webhooks listen` with this secret (--secret-file <path> or ANCHOR_WEBHOOK_SECRET), and see the clock check.',
    );
  return failed(
    'secret',
    `${found.source} does not verify the newest signed request listen recorded, ${describe(refused)} (refused; a refused request may also be a stranger's): it is not the secret Anchor signs with`,
    WRONG_FIX,
  );
}
