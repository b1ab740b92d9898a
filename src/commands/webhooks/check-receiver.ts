// `anchor webhooks check-receiver <url>`: sends the checks Anchor's receivers must pass, and says
// for each what was sent, what came back, whether that was right, and for a failure the fix.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { CheckFailedError, UsageError } from '../../errors.js';
import { isLoopbackHost } from '../../lib/loopback.js';
import { readSecret } from '../../local/inputs.js';
import { checkReceiver, type CheckResult } from '../../local/check-receiver.js';
import { RECEIVER_CHECKS } from '../../core/receiver-checks.js';
import { escapeControl, style } from '../../ui/format.js';
import type { checkReceiverCommand } from './check-receiver.decl.js';
import { APP_URL_EXAMPLE, parseHttpUrl } from '../../lib/http-url.js';

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

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const o = input.flags<typeof checkReceiverCommand>();
  const url = receiverUrl(input.args[0]);
  const secret = await readSecret(ctx, o.secretFile);
  const s = style(ctx.colorStdout);
  const idWidth = Math.max(...RECEIVER_CHECKS.map((c) => c.id.length));
  if (!ctx.globals.json) ctx.out(`Checking ${escapeControl(url.toString())} as Anchor delivers to it:\n\n`);
  const line = (r: CheckResult) =>
    `  ${r.ok ? s.green('✓') : r.required ? s.red('✗') : s.yellow('!')} ${r.id.padEnd(idWidth)}  ${(r.required ? 'required' : 'optional').padEnd(8)}  ${String(r.status || '-').padStart(3)}  ${`${Math.round(r.latency_ms)} ms`.padStart(7)}  ${escapeControl(r.detail)}\n`;
  const results = await checkReceiver({
    url,
    secret,
    only: o.only,
    env: ctx.env,
    now: () => ctx.now(),
    onResult: (r) => {
      if (!ctx.globals.json) ctx.out(line(r));
    },
  });
  const failedRequired = results.filter((r) => r.required && !r.ok);
  const failed = results.filter((r) => !r.ok);
  if (ctx.globals.json) {
    ctx.outJson({ url: url.toString(), passed: failedRequired.length === 0, checks: results });
  } else {
    if (failed.length) {
      ctx.out(`\nHow to fix:\n`);
      for (const r of failed) ctx.out(`  ${s.bold(r.id)}: ${r.fix}\n`);
    }
    ctx.out(
      failed.length === 0
        ? `\n${s.green('✓')} All ${results.length} checks passed: this receiver does what Anchor requires.\n`
        : `\n${failed.length} of ${results.length} checks failed (${failedRequired.length} required).\n`,
    );
  }
  if (failedRequired.length)
    throw new CheckFailedError(
      `the receiver failed ${failedRequired.length} required check(s): ${failedRequired.map((r) => r.id).join(', ')}`,
      { hint: 'Each failure above has its fix; run the check again after changing the receiver.' },
    );
}
