// `anchor webhooks deliveries <id>`: the delivery log, filtered, paged (--all), with payloads, or
// followed (--follow) until Ctrl-C.
import type { Context } from '../../../context.js';
import { UsageError } from '../../../errors.js';
import type { DeliveryList, DeliveryRow } from '../../../api/schemas.js';
import type { ApiClient, RequestSpec } from '../../../api/client.js';
import type { FlagValues } from '../../spec.js';
import { handler } from '../../handler.js';
import { viewOf, withView, type WithView } from '../../result-view.js';
import { checkEventsFlag } from '../../flags.js';
import { resolveWebhookId } from '../shared/prompts.js';
import { printDeliveryRows } from '../shared/delivery-rows.js';
import { followDeliveries } from './follow.js';
import { deliveriesCommand } from './decl.js';

type Query = NonNullable<RequestSpec['query']>;

/** What people are told besides the rows: whose log, whether it was filtered, all of it or a page. */
export type DeliveriesResult = WithView<DeliveryList, { id: string; filtered: boolean; all: boolean }>;

function query(flags: FlagValues<typeof deliveriesCommand>, ctx: Context): Query {
  const now = ctx.now();
  const since = flags.since?.at(now).toISOString();
  const until = flags.until?.at(now).toISOString();
  if (since && until && since > until) {
    throw new UsageError(
      `--since ${flags.since!.text} (${since}) is later than --until ${flags.until!.text} (${until}): no delivery can match`,
      {
        hint: 'Relative times count back from now: --since 2d --until 1h is the window from two days ago to an hour ago.',
      },
    );
  }
  return {
    status: flags.status,
    event_type: flags.event,
    since,
    until,
    limit: flags.limit,
    offset: flags.offset,
    include_payload: flags.payload ? 'true' : undefined,
  };
}

async function fetchAll(api: ApiClient, id: string, q: Query, ctx: Context): Promise<DeliveryList> {
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

async function renderDeliveries(result: DeliveriesResult, ctx: Context): Promise<void> {
  const { id, filtered, all } = viewOf(result);
  if (result.events.length === 0) {
    ctx.err(
      `No deliveries${filtered ? ' match' : ' yet'}. Send one with \`anchor webhooks test ${id} --event task.completed\`.\n`,
    );
    return;
  }
  await printDeliveryRows(ctx, result.events);
  const { offset, total } = result.pagination;
  const shown = offset + result.events.length;
  if (!all && shown < total && ctx.humanTTY) {
    ctx.err(`Showing ${offset + 1}-${shown} of ${total}. More with --offset ${shown}, or all with --all.\n`);
  }
}

export default handler(
  deliveriesCommand,
  async (flags, [given], ctx): Promise<DeliveriesResult | undefined> => {
    // --follow against --all, --offset and --until, and --all against --offset, are in the declaration.
    if (flags.event !== undefined) checkEventsFlag([flags.event], '--event');
    const id = await resolveWebhookId(ctx, given, 'deliveries');
    const q = query(flags, ctx);
    const api = await ctx.api();
    if (flags.follow) {
      // It prints as it goes, until Ctrl-C: nothing is left to return.
      await followDeliveries(api, id, q, { limit: flags.limit, intervalMs: flags.interval }, ctx);
      return undefined;
    }
    const result = flags.all
      ? await fetchAll(api, id, q, ctx)
      : await ctx.withSpinner('Loading deliveries…', () => api.listDeliveries(id, q));
    const filtered = Object.values(q).some((v) => v !== undefined);
    return withView(result, { id, filtered, all: flags.all });
  },
  renderDeliveries,
);
