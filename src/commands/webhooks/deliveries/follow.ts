// `deliveries --follow`: prints new rows, and rows whose status or attempt changed, until Ctrl-C
// (NDJSON with --json); network errors are retried with backoff, other errors end it.
import type { Context } from '../../../context.js';
import { AuthError, CliError, NotFoundError, UsageError } from '../../../errors.js';
import { sleep } from '../../../lib/time.js';
import type { DeliveryRow } from '../../../api/schemas.js';
import type { ApiClient, RequestSpec } from '../../../api/client.js';
import { printDeliveryRows, type DeliveryLayout } from '../shared/delivery-rows.js';

export interface FollowOptions {
  /** Rows printed first (the newest); undefined: all of the first page. */
  limit: number | undefined;
  intervalMs: number;
}

export async function followDeliveries(
  api: ApiClient,
  id: string,
  q: NonNullable<RequestSpec['query']>,
  options: FollowOptions,
  ctx: Context,
): Promise<void> {
  const stop = new AbortController();
  const off = ctx.io.onSignal(() => stop.abort());
  const seen = new Map<string, string>();
  const key = (r: DeliveryRow) => `${r.status}/${r.attempt}`;
  let first = true;
  let failures = 0;
  let laidOut: DeliveryLayout | undefined;
  if (!ctx.globals.json) ctx.err(`Following deliveries of ${id}; Ctrl-C to stop.\n`);
  const loop = async () => {
    while (!stop.signal.aborted) {
      try {
        const fresh: DeliveryRow[] = [];
        // Newest first: read pages until a page brings nothing new.
        for (let offset = 0; ; offset += 100) {
          const page = await api.listDeliveries(id, { ...q, limit: 100, offset });
          const changed = page.events.filter((r) => seen.get(r.id) !== key(r));
          fresh.push(...changed);
          if (changed.length < page.events.length || page.events.length < 100 || first) break;
        }
        if (failures > 0 && !ctx.globals.json) ctx.err('Reconnected.\n');
        failures = 0;
        const all = fresh.reverse();
        for (const r of all) seen.set(r.id, key(r));
        // --limit bounds the rows printed first (the newest); the rest are marked seen all the same.
        const rows = first && options.limit !== undefined ? all.slice(-options.limit) : all;
        if (stop.signal.aborted) break;
        if (ctx.globals.json) for (const r of rows) ctx.out(`${JSON.stringify(r)}\n`);
        else if (rows.length) laidOut = await printDeliveryRows(ctx, rows, laidOut);
        first = false;
        await sleep(options.intervalMs, stop.signal);
      } catch (e) {
        if (e instanceof AuthError || e instanceof NotFoundError || e instanceof UsageError || !(e instanceof CliError))
          throw e;
        failures++;
        const wait = Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5));
        ctx.err(`${e.message}; retrying in ${Math.round(wait / 1000)}s…\n`);
        await sleep(wait, stop.signal);
      }
    }
  };
  // Ctrl-C ends it at once, even with a request in flight (its answer is dropped).
  const stopped = new Promise<void>((resolve) =>
    stop.signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  try {
    await Promise.race([loop(), stopped]);
  } finally {
    off();
  }
}
