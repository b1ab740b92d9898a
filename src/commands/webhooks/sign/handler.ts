// `anchor webhooks sign`: the headers Anchor would send with a body, for test fixtures.
import { randomUUID } from 'node:crypto';
import type { Context } from '../../../context.js';
import { deliveryHeaders } from '../../../core/signature.js';
import { checkStdinUse, parseUnixTime, readPayload, readSecret } from '../../../local/inputs.js';
import { handler } from '../../handler.js';
import { signCommand } from './decl.js';

export interface Signed {
  timestamp: number;
  headers: Record<string, string>;
}

function renderHeaders(signed: Signed, ctx: Context): void {
  ctx.out(
    Object.entries(signed.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n') + '\n',
  );
}

export default handler(
  signCommand,
  async (flags, _args, ctx): Promise<Signed> => {
    checkStdinUse(flags.secretFile, flags.payload);
    const timestamp =
      flags.timestamp === undefined
        ? Math.floor(ctx.now().getTime() / 1000)
        : parseUnixTime(flags.timestamp, '--timestamp');
    const secret = await readSecret(ctx, flags.secretFile);
    const body = (await readPayload(ctx, flags.payload, true))!;
    let eventType = 'task.completed';
    try {
      const parsed = JSON.parse(body.toString('utf8')) as { type?: unknown };
      if (typeof parsed.type === 'string') eventType = parsed.type;
    } catch {
      // Not JSON: sign it all the same.
    }
    const headers = deliveryHeaders({ secrets: [secret], timestamp, body, eventType, deliveryId: randomUUID() });
    return { timestamp, headers };
  },
  renderHeaders,
);
