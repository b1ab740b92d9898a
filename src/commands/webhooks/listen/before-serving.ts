// What `listen` opens before it serves: the delivery record, and a --backfill of what the
// webhook's recent deliveries did not get to the app.
import type { Context } from '../../../context.js';
import { RecordWriter } from '../../../local/record.js';
import { backfill } from '../../../local/backfill.js';
import { usesPatterns } from '../../../local/forward-routes.js';
import { escapeControl, style } from '../../../ui/format.js';
import { printBackfilled } from './lines.js';
import { formatMs, type ListenOptions } from './options.js';

/**
 * The delivery record: every request, before it is answered. A record that cannot be opened is
 * said once, and listening goes on without it.
 */
export function openRecord(ctx: Context): RecordWriter | undefined {
  try {
    return RecordWriter.open(
      ctx.env,
      (t) => ctx.redact(t),
      () => ctx.now().getTime(),
    );
  } catch (err) {
    ctx.err(
      `${style(ctx.colorStderr).yellow('!')} not recording (${escapeControl((err as Error).message)}); listening goes on. Pass --no-record to silence this.\n`,
    );
    return undefined;
  }
}

/** --backfill: re-delivers to the app what did not succeed for the webhook, before serving. */
export async function runBackfill(
  ctx: Context,
  b: NonNullable<ListenOptions['backfill']>,
  routes: ListenOptions['routes'],
  secret: string,
  record: RecordWriter | undefined,
  until: boolean,
): Promise<void> {
  const api = await ctx.api();
  const done = await ctx.withSpinner(`Reading the delivery log of ${b.webhookId}…`, () =>
    backfill({
      api,
      webhookId: b.webhookId,
      windowMs: b.windowMs,
      now: () => ctx.now(),
      secret,
      routes,
      env: ctx.env,
      ...(record ? { record } : {}),
      onDelivered: (d) => printBackfilled(ctx, d, until),
    }),
  );
  ctx.err(
    `Backfill: ${done.length} event(s) of ${b.webhookId} had not succeeded in the last ${formatMs(b.windowMs)}; re-delivered to ${usesPatterns(routes) ? 'the route of each' : routes[0]!.url}.\n`,
  );
}
