// `anchor webhooks check-receiver <url>`: sends the checks Anchor's receivers must pass, and says
// for each what was sent, what came back, whether that was right, and for a failure the fix.
import type { Context } from '../../../context.js';
import { CheckFailedError, UsageError } from '../../../errors.js';
import { isLoopbackHost } from '../../../lib/loopback.js';
import { readLocalSecret } from '../../../local/local-secret.js';
import { checkReceiver, type CheckResult } from '../../../local/check-receiver.js';
import { RECEIVER_CHECKS } from '../../../core/receiver-checks.js';
import { framework, type FrameworkId } from '../../../core/receiver-frameworks.js';
import { escapeControl, style } from '../../../ui/format.js';
import { APP_URL_EXAMPLE, parseHttpUrl } from '../../../lib/http-url.js';
import { failing, handler } from '../../handler.js';
import { checkReceiverCommand } from './decl.js';

export interface ReceiverReport {
  url: string;
  /** Every required check passed (optional ones may have failed). */
  passed: boolean;
  /** The receiver's framework, when its answers said which (the fixes are then its own). */
  framework?: FrameworkId;
  checks: CheckResult[];
}

function receiverUrl(raw: string | undefined): URL {
  if (!raw)
    throw new UsageError('missing the URL of your receiver', {
      hint: 'Usage: anchor webhooks check-receiver http://localhost:3000/webhooks/anchor --secret-file ./anchor-secret',
    });
  const url = parseHttpUrl(raw);
  if (typeof url === 'string')
    throw new UsageError(`invalid URL "${raw}": ${url}; give an https:// URL (or http:// on loopback)`, {
      hint: `For example: ${APP_URL_EXAMPLE}`,
    });
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname.replace(/^\[|\]$/g, '')))
    throw new UsageError(`invalid URL "${raw}": http:// is allowed only for a receiver on this machine (loopback)`, {
      hint: 'Use https:// for a receiver elsewhere, or check it on localhost.',
    });
  return url;
}

/** Where the signing secret came from, in the order readLocalSecret looks (a path, never the secret). */
function secretSource(secretFile: string | undefined, forwardingPath: string | undefined): string {
  if (secretFile !== undefined)
    return secretFile === '-'
      ? 'the secret read from stdin (--secret-file -)'
      : `the secret of --secret-file ${escapeControl(secretFile)}`;
  if (forwardingPath !== undefined) return `the forwarding secret (${forwardingPath})`;
  return 'the secret of ANCHOR_WEBHOOK_SECRET';
}

/** One check's line of the table, printed as soon as the check ends. */
function checkLine(ctx: Context, r: CheckResult): string {
  const s = style(ctx.colorStdout);
  const idWidth = Math.max(...RECEIVER_CHECKS.map((c) => c.id.length));
  // A right answer that cannot prove the app right (a duplicate acknowledged) is not a plain ✓.
  const mark = r.ok ? (r.caveat ? s.yellow('?') : s.green('✓')) : r.required ? s.red('✗') : s.yellow('!');
  // Known as soon as the check ends: accepts_valid, which it repeats, ran first.
  const follows = r.follows_from ? s.dim(` (follows from ${r.follows_from})`) : '';
  return `  ${mark} ${r.id.padEnd(idWidth)}  ${(r.required ? 'required' : 'optional').padEnd(8)}  ${String(r.status || '-').padStart(3)}  ${`${Math.round(r.latency_ms)} ms`.padStart(7)}  ${escapeControl(r.detail)}${follows}\n`;
}

/** "; 3 of them follow from accepts_valid", or nothing. */
function followCount(failed: readonly CheckResult[]): string {
  const n = failed.filter((r) => r.follows_from).length;
  return n ? `; ${n} of them ${n === 1 ? 'follows' : 'follow'} from accepts_valid` : '';
}

/** What follows the table: the fix of each failure, and the count. */
function renderTail(report: ReceiverReport, ctx: Context): void {
  const s = style(ctx.colorStdout);
  const failed = report.checks.filter((r) => !r.ok);
  const failedRequired = failed.filter((r) => r.required);
  const caveats = report.checks.filter((r) => r.caveat);
  if (caveats.length) {
    ctx.out(`\nNot seen from here:\n`);
    for (const r of caveats) ctx.out(`  ${s.bold(r.id)}: ${escapeControl(r.caveat!)}\n`);
  }
  if (failed.length) {
    ctx.out(`\nHow to fix${report.framework ? ` (${framework(report.framework).name})` : ''}:\n`);
    // The failures that repeat accepts_valid's answer say so once, together, after its fix.
    const own = failed.filter((r) => !r.follows_from);
    const following = failed.filter((r) => r.follows_from);
    for (const r of own) ctx.out(`  ${s.bold(r.id)}: ${r.fix!.replace(/\n/g, '\n    ')}\n`);
    if (following.length)
      ctx.out(
        `  ${following.map((r) => s.bold(r.id)).join(', ')}: ${following.length === 1 ? 'follows' : 'follow'} from ${following[0]!.follows_from} (a correct delivery got the same answer), so ${following.length === 1 ? 'it was' : 'they were'} not judged: fix that first, then run check-receiver again.\n`,
      );
  }
  ctx.out(
    failed.length === 0
      ? `\n${s.green('✓')} All ${report.checks.length} checks passed: this receiver does what Anchor requires${caveats.length ? ', as far as its answers show' : ''}.\n`
      : `\n${failed.length} of ${report.checks.length} checks failed (${failedRequired.length} required)${followCount(failed)}.\n`,
  );
}

export default handler(
  checkReceiverCommand,
  async (flags, [given], ctx): Promise<ReceiverReport> => {
    const url = receiverUrl(given);
    const { secret, forwardingPath } = await readLocalSecret(ctx, flags.secretFile, 'webhooks check-receiver');
    // Checks can take seconds each: people see the table grow as they end (render adds the rest).
    const forPeople = !ctx.globals.json;
    if (forPeople) ctx.out(`Checking ${escapeControl(url.toString())} as Anchor delivers to it:\n\n`);
    const { results, framework: recognised } = await checkReceiver({
      url,
      secret,
      secretSource: secretSource(flags.secretFile, forwardingPath),
      only: flags.only,
      env: ctx.env,
      now: () => ctx.now(),
      onResult: (r) => {
        if (forPeople) ctx.out(checkLine(ctx, r));
      },
    });
    const failedRequired = results.filter((r) => r.required && !r.ok);
    const report: ReceiverReport = {
      url: url.toString(),
      passed: failedRequired.length === 0,
      ...(recognised ? { framework: recognised } : {}),
      checks: results,
    };
    return failing(
      report,
      failedRequired.length
        ? new CheckFailedError(
            `the receiver failed ${failedRequired.length} required check(s): ${failedRequired.map((r) => r.id).join(', ')}`,
            { hint: 'Each failure above has its fix; run the check again after changing the receiver.' },
          )
        : undefined,
    );
  },
  renderTail,
);
