// `anchor webhooks verify`: checks a delivery offline the way Anchor's docs say a receiver must,
// and on failure says which check failed and the likely cause.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { CheckFailedError, UsageError } from '../../errors.js';
import { diagnose, verifyDelivery } from '../../core/verify.js';
import { checkStdinUse, parseUnixTime, readPayload, readSecret } from '../../local/inputs.js';
import { escapeControl, style } from '../../ui/format.js';
import type { verifyCommand } from './verify.decl.js';

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const o = input.flags<typeof verifyCommand>();
  if (!o.signature)
    throw new UsageError('missing --signature', {
      hint: 'Pass the Anchor-Signature header as received: --signature "t=1716544084,v1=…"',
    });
  const tolerance = o.tolerance === undefined ? 120 : o.tolerance / 1000;
  checkStdinUse(o.secretFile, o.payload);
  const nowSeconds = o.now === undefined ? Math.floor(ctx.now().getTime() / 1000) : parseUnixTime(o.now, '--now');
  const secret = await readSecret(ctx, o.secretFile);
  const body = (await readPayload(ctx, o.payload, true))!;

  const verifyInput = {
    secret,
    signatureHeader: o.signature,
    timestampHeader: o.timestamp,
    body,
    nowSeconds,
    toleranceSeconds: tolerance,
  };
  const result = verifyDelivery(verifyInput);
  const why = diagnose(verifyInput, result);
  if (ctx.globals.json) {
    ctx.outJson({ valid: result.valid, checks: result.checks, ...(why ? { diagnosis: why } : {}) });
  } else {
    const s = style(ctx.colorStdout);
    const width = Math.max(...result.checks.map((c) => c.name.length));
    for (const c of result.checks)
      ctx.out(`${c.ok ? s.green('✓') : s.red('✗')} ${c.name.padEnd(width)}  ${escapeControl(c.detail)}\n`);
    ctx.out(
      result.valid ? `\n${s.green('Valid')}: this delivery is authentic and fresh.\n` : `\n${s.red('Invalid')}.\n`,
    );
    if (why) ctx.out(`${result.valid ? 'Note' : 'Likely cause'}: ${escapeControl(why.message)}\n`);
  }
  if (!result.valid) {
    const failed = result.checks.find((c) => !c.ok)!;
    throw new CheckFailedError(`the delivery did not verify: the ${failed.name} check failed (${failed.detail})`, {
      hint: why ? `Likely cause: ${why.cause}. See above.` : undefined,
    });
  }
}
