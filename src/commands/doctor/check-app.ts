// doctor's `app` check: what the user's app made of the newest delivery `listen` forwarded to it,
// from the record. Anchor only sees listen's answer (a 502 when the app is down, a 504 when it is
// slow), so without this the app behind a listener looks like a broken receiver.
import type { Context } from '../../context.js';
import { readRecords, type RecordedRequest } from '../../local/record.js';
import { isVerifiedOriginal } from '../../local/record-select.js';
import { failed, passed, skipped, type DoctorCheck } from './report.js';

/** The newest verified delivery, with what the app answered when listen forwarded it. */
export function newestVerified(ctx: Context): RecordedRequest | undefined {
  const [r] = readRecords(ctx.env, { nowMs: ctx.now().getTime(), where: isVerifiedOriginal, limit: 1 });
  return r;
}

/** Whether the app took the forwarded delivery (a 2xx). */
export const appTookIt = (r: RecordedRequest): boolean =>
  r.forward !== undefined && r.forward.error === undefined && r.forward.status >= 200 && r.forward.status < 300;

/** A transport error in a few plain words: Node's codes are not what a user searches for. */
function plainError(error: string): string {
  if (/ECONNREFUSED/.test(error)) return 'connection refused — is it running?';
  if (/ENOTFOUND|EAI_AGAIN/.test(error)) return `its host does not resolve (${error.slice(0, 200)})`;
  if (/ECONNRESET|socket hang up/.test(error))
    return `it closed the connection without answering (${error.slice(0, 200)})`;
  return error.slice(0, 300);
}

export function appCheck(ctx: Context): DoctorCheck {
  const r = newestVerified(ctx);
  if (!r) return skipped('app', 'no delivery recorded yet (`anchor webhooks listen --forward-to <url>` forwards them)');
  const f = r.forward;
  if (!f)
    return skipped(
      'app',
      `the newest recorded delivery, ${r.id}, was not forwarded to an app (or its answer is not back yet)`,
    );
  const which = `${r.id}${r.event_type ? ` (${r.event_type})` : ''}, received ${r.received_at}`;
  const resend = `then send it again: \`anchor webhooks replay ${r.id}\``;
  if (f.timed_out)
    return failed(
      'app',
      `your app at ${f.url} gave no complete answer to ${which} within listen's deadline (listen answered Anchor 504)`,
      `Answer first, work after: Anchor waits 10 s for an answer. Make the app answer sooner, ${resend}.`,
    );
  if (f.error !== undefined)
    return failed(
      'app',
      `listen could not reach your app at ${f.url} for ${which}: ${plainError(f.error)} (listen answered Anchor 502)`,
      `Start your app so that it listens at ${f.url} (or give listen the right \`--forward-to\`), ${resend}.`,
    );
  if (!appTookIt(r))
    return failed(
      'app',
      `your app at ${f.url} answered ${f.status} to ${which}`,
      f.status === 401 || f.status === 403
        ? `Your app refused the signature: behind listen it verifies with the forwarding secret (put what \`anchor webhooks listen --print-secret\` prints in its .env) over the raw body; ${resend}.`
        : `See your app's logs and its answer (\`anchor webhooks received show ${r.id}\`), fix it, ${resend}.`,
    );
  return passed('app', `your app at ${f.url} answered ${f.status} to ${which}`);
}
