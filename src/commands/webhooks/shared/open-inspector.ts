// Opening the inspector page over the delivery record, for `webhooks inspect` and `listen --inspect`.
import type { Context } from '../../../context.js';
import { bindError } from '../../../lib/serve.js';
import { startInspector, type RunningInspector } from '../../../local/inspector.js';
import { listed, shown } from './record-view.js';

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
