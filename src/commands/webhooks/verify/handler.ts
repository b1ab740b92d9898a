// `anchor webhooks verify`: checks a delivery offline the way Anchor's docs say a receiver must,
// and on failure says which check failed and the likely cause.
import type { Context } from '../../../context.js';
import { CheckFailedError, UsageError } from '../../../errors.js';
import { diagnose, verifyDelivery, type Check, type Diagnosis } from '../../../core/verify.js';
import { checkStdinUse, parseUnixTime, readPayload, readSecret } from '../../../local/inputs.js';
import { escapeControl, style } from '../../../ui/format.js';
import { failing, handler } from '../../handler.js';
import { verifyCommand } from './decl.js';

/** Each check, whether the delivery passed them all, and the likely cause when it did not. */
export interface VerifyAnswer {
  valid: boolean;
  checks: Check[];
  diagnosis?: Diagnosis;
}

function renderVerify(answer: VerifyAnswer, ctx: Context): void {
  const s = style(ctx.colorStdout);
  const width = Math.max(...answer.checks.map((c) => c.name.length));
  for (const c of answer.checks)
    ctx.out(`${c.ok ? s.green('✓') : s.red('✗')} ${c.name.padEnd(width)}  ${escapeControl(c.detail)}\n`);
  ctx.out(answer.valid ? `\n${s.green('Valid')}: this delivery is authentic and fresh.\n` : `\n${s.red('Invalid')}.\n`);
  if (answer.diagnosis)
    ctx.out(`${answer.valid ? 'Note' : 'Likely cause'}: ${escapeControl(answer.diagnosis.message)}\n`);
}

export default handler(
  verifyCommand,
  async (flags, _args, ctx): Promise<VerifyAnswer> => {
    if (!flags.signature)
      throw new UsageError('missing --signature', {
        hint: 'Pass the Anchor-Signature header as received: --signature "t=1716544084,v1=…"',
      });
    const tolerance = flags.tolerance === undefined ? 120 : flags.tolerance / 1000;
    checkStdinUse(flags.secretFile, flags.payload);
    const nowSeconds =
      flags.now === undefined ? Math.floor(ctx.now().getTime() / 1000) : parseUnixTime(flags.now, '--now');
    const secret = await readSecret(ctx, flags.secretFile);
    const body = (await readPayload(ctx, flags.payload, true))!;

    const verifyInput = {
      secret,
      signatureHeader: flags.signature,
      timestampHeader: flags.timestamp,
      body,
      nowSeconds,
      toleranceSeconds: tolerance,
    };
    const result = verifyDelivery(verifyInput);
    const why = diagnose(verifyInput, result);
    const answer: VerifyAnswer = { valid: result.valid, checks: result.checks, ...(why ? { diagnosis: why } : {}) };
    if (result.valid) return answer;
    // Invalid is still an answer: it is printed, then the command fails with exit 6.
    const failed = result.checks.find((c) => !c.ok)!;
    return failing(
      answer,
      new CheckFailedError(`the delivery did not verify: the ${failed.name} check failed (${failed.detail})`, {
        hint: why ? `Likely cause: ${why.cause}. See above.` : undefined,
      }),
    );
  },
  renderVerify,
);
