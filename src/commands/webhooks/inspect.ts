// `anchor webhooks inspect`: the inspector page over the delivery record, until Ctrl-C.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { bindError } from '../../lib/serve.js';
import { readSecret } from '../../local/inputs.js';
import { startInspector, type RunningInspector } from '../../local/inspector.js';
import type { inspectCommand } from './received.decl.js';
import { listed, shown } from './received.js';

/** Starts the page; `secret` re-signs replays (none: only "as received" works). */
export async function openInspector(
  ctx: Context,
  port: number,
  secret: (() => string | undefined) | undefined,
  to: URL | undefined,
): Promise<RunningInspector> {
  try {
    return await startInspector({
      port,
      env: ctx.env,
      now: () => ctx.now(),
      ...(secret ? { secret } : {}),
      ...(to ? { to } : {}),
      listed,
      shown,
      redact: (text) => ctx.redact(text),
    });
  } catch (e) {
    throw bindError(e, '127.0.0.1', port) ?? e;
  }
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const o = input.flags<typeof inspectCommand>();
  const to = o.to;
  const secret =
    o.secretFile !== undefined || ctx.env.ANCHOR_WEBHOOK_SECRET ? await readSecret(ctx, o.secretFile) : undefined;
  const stopped = new Promise<void>((resolve) => {
    const off = ctx.io.onSignal(() => {
      off();
      resolve();
    });
  });
  const inspector = await openInspector(ctx, o.port, secret ? () => secret : undefined, to);
  ctx.err(
    `Inspector: ${inspector.url}\n  (open it in your browser; the token in it is required. ${secret ? 'Replays of verified requests are re-signed with your secret; refused ones go only as received.' : 'No secret given: replays go as received.'} Ctrl-C to stop.)\n`,
  );
  if (ctx.globals.json) ctx.outJson({ url: inspector.url });
  await stopped;
  await inspector.close();
}
