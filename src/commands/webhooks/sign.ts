// `anchor webhooks sign`: the headers Anchor would send with a body, for test fixtures.
import { randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { deliveryHeaders } from '../../core/signature.js';
import { checkStdinUse, parseUnixTime, readPayload, readSecret } from '../../local/inputs.js';
import type { signCommand } from './verify.decl.js';

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const o = input.flags<typeof signCommand>();
  checkStdinUse(o.secretFile, o.payload);
  const timestamp =
    o.timestamp === undefined ? Math.floor(ctx.now().getTime() / 1000) : parseUnixTime(o.timestamp, '--timestamp');
  const secret = await readSecret(ctx, o.secretFile);
  const body = (await readPayload(ctx, o.payload, true))!;
  let eventType = 'task.completed';
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { type?: unknown };
    if (typeof parsed.type === 'string') eventType = parsed.type;
  } catch {
    // Not JSON: sign it all the same.
  }
  const headers = deliveryHeaders({ secrets: [secret], timestamp, body, eventType, deliveryId: randomUUID() });
  if (ctx.globals.json) ctx.outJson({ timestamp, headers });
  else
    ctx.out(
      Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n') + '\n',
    );
}
