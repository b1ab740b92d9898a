// Opening the inspector page over the delivery record, for `webhooks inspect` and `listen --inspect`.
import type { Context } from '../../../context.js';
import { bindError } from '../../../lib/serve.js';
import { startInspector, type RunningInspector } from '../../../local/inspector.js';
import type { RecordedRequest } from '../../../local/record.js';
import { listed, shown } from './record-view.js';

/** A replay's link to its original, as the record keeps it (`replay_of`), when it has one. */
function replayOf(r: RecordedRequest): { replay_of?: string } {
  const of = (r as RecordedRequest & { replay_of?: unknown }).replay_of;
  return typeof of === 'string' ? { replay_of: of } : {};
}

/** Starts the page; `secret` re-signs replays (none: only "as received" works). */
export async function openInspector(
  ctx: Context,
  port: number,
  secret: (() => string | undefined) | undefined,
  to: URL | ((r: RecordedRequest) => URL | undefined) | undefined,
  resetToken = false,
): Promise<RunningInspector> {
  try {
    return await startInspector({
      port,
      env: ctx.env,
      now: () => ctx.now(),
      ...(secret ? { secret } : {}),
      ...(to ? { to } : {}),
      // The page links a replay to its original, in the list and in the detail.
      listed: (r) => ({ ...listed(r), ...replayOf(r) }),
      shown: (r) => ({ ...shown(r), ...replayOf(r) }),
      redact: (text) => ctx.redact(text),
      resetToken,
    });
  } catch (e) {
    throw bindError(e, '127.0.0.1', port) ?? e;
  }
}
