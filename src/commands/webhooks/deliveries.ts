// `anchor webhooks deliveries <id>`: the delivery log, filtered, paged (--all), with payloads, or
// followed (--follow) until Ctrl-C.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { AuthError, CliError, NotFoundError, UsageError } from '../../errors.js';
import type { FlagValues } from '../spec.js';
import type { deliveriesCommand } from './test.decl.js';
import { sleep } from '../../lib/time.js';
import type { DeliveryList, DeliveryRow } from '../../api/schemas.js';
import { checkEventsFlag } from '../flags.js';
import type { ApiClient, RequestSpec } from '../../api/client.js';
import { resolveWebhookId } from './shared/prompts.js';
import { printDeliveryRows, type DeliveryLayout } from './shared/delivery-rows.js';

export type DeliveriesOptions = FlagValues<typeof deliveriesCommand> & { interval: number };

export function parse(input: RawInput): DeliveriesOptions {
  const parsed = input.flags<typeof deliveriesCommand>();
  // --follow against --all, --offset and --until, and --all against --offset, are in the declaration.
  const options = { ...parsed, interval: parsed.interval ?? 2000 };
  if (options.event !== undefined) checkEventsFlag([options.event], '--event');
  return options;
}

function query(options: DeliveriesOptions, ctx: Context): NonNullable<RequestSpec['query']> {
  const now = ctx.now();
  const since = options.since?.at(now).toISOString();
  const until = options.until?.at(now).toISOString();
  if (since && until && since > until) {
    throw new UsageError(
      `--since ${options.since!.text} (${since}) is later than --until ${options.until!.text} (${until}): no delivery can match`,
      {
        hint: 'Relative times count back from now: --since 2d --until 1h is the window from two days ago to an hour ago.',
      },
    );
  }
  return {
    status: options.status,
    event_type: options.event,
    since,
    until,
    limit: options.limit,
    offset: options.offset,
    include_payload: options.payload ? 'true' : undefined,
  };
}

async function fetchAll(
  api: ApiClient,
  id: string,
  q: NonNullable<RequestSpec['query']>,
  ctx: Context,
): Promise<DeliveryList> {
  const limit = Number(q.limit ?? 100);
  const events: DeliveryRow[] = [];
  let total = 0;
  const progress = ctx.stderrIsTTY && !ctx.globals.json;
  for (let offset = 0; ; offset += limit) {
    const page = await api.listDeliveries(id, { ...q, limit, offset });
    events.push(...page.events);
    total = page.pagination.total;
    if (progress) ctx.err(`\rFetched ${events.length} of ${total} deliveries…`);
    if (page.events.length < limit || events.length >= total) break;
  }
  if (progress) ctx.err('\r\u001b[2K');
  return { events, pagination: { limit: events.length, offset: 0, total } };
}

/** Prints new rows, and rows whose status or attempt changed, until a signal; survives network errors. */
async function follow(
  api: ApiClient,
  id: string,
  q: NonNullable<RequestSpec['query']>,
  options: DeliveriesOptions,
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
        await sleep(options.interval, stop.signal);
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

export async function runDeliveries(id: string, options: DeliveriesOptions, ctx: Context): Promise<void> {
  const q = query(options, ctx);
  const api = await ctx.api();
  if (options.follow) {
    await follow(api, id, q, options, ctx);
    return;
  }
  const result = options.all
    ? await fetchAll(api, id, q, ctx)
    : await ctx.withSpinner('Loading deliveries…', () => api.listDeliveries(id, q));
  if (ctx.globals.json) {
    ctx.outJson(result);
    return;
  }
  if (result.events.length === 0) {
    ctx.err(
      `No deliveries${Object.values(q).some((v) => v !== undefined) ? ' match' : ' yet'}. Send one with \`anchor webhooks test ${id} --event task.completed\`.\n`,
    );
    return;
  }
  await printDeliveryRows(ctx, result.events);
  const { offset, total } = result.pagination;
  const shown = offset + result.events.length;
  if (!options.all && shown < total && ctx.humanTTY) {
    ctx.err(`Showing ${offset + 1}-${shown} of ${total}. More with --offset ${shown}, or all with --all.\n`);
  }
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const options = parse(input);
  await runDeliveries(await resolveWebhookId(ctx, input.args[0], 'deliveries'), options, ctx);
}
