// `anchor webhooks test <id> --event <type> [--wait]`: sends a test event through Anchor's real
// signing and retry path; with --wait, follows the delivery log until that delivery ends.
import type { Context } from '../../../context.js';
import { CancelledError, CheckFailedError, TimeoutError } from '../../../errors.js';
import { EVENT_CATALOG } from '../../../core/events.js';
import type { DeliveryRow } from '../../../api/schemas.js';
import { sleep } from '../../../lib/time.js';
import { escapeControl, style } from '../../../ui/format.js';
import { formatDuration } from '../../../lib/duration.js';
import { failing, handler } from '../../handler.js';
import { viewOf, withView, type WithView } from '../../result-view.js';
import { requireEventType } from '../../flags.js';
import { resolveWebhookId } from '../shared/prompts.js';
import { describeDelivery, FINAL_STATUSES, printDeliveryRows } from '../shared/delivery-rows.js';
import { testCommand } from './decl.js';

interface Sent {
  external_event_id: string;
  event_type: string;
}
/**
 * The API's answer; with --wait, the delivery's row too (null when it never showed up). People are
 * also told which webhook, and the type as asked (the view; JSON leaves it out).
 */
export type TestResult = WithView<Sent | (Sent & { delivery: DeliveryRow | null }), { id: string; eventType: string }>;

async function pickEvent(ctx: Context): Promise<string> {
  const p = await ctx.prompter();
  p.ensureInteractive(
    '--event <type>',
    'Usage: anchor webhooks test <id> --event task.completed; see the types with `anchor events list`.',
  );
  return p.select(
    {
      message: 'Which event type?',
      choices: EVENT_CATALOG.map((e) => ({ name: e.type, value: e.type, description: e.description })),
    },
    '--event <type>',
  );
}

/** Polls the delivery log until the event's delivery ends, the deadline passes or Ctrl-C. */
async function waitForDelivery(
  ctx: Context,
  id: string,
  eventType: string,
  sent: Sent,
  waitTimeoutMs: number,
): Promise<DeliveryRow | undefined> {
  const api = await ctx.api();
  const eventId = escapeControl(sent.external_event_id);
  const started = ctx.now().getTime();
  const deadline = started + waitTimeoutMs;
  const spinner = await ctx.spinner(`Waiting for the delivery of ${eventId}…`);
  // Ctrl-C stops the wait, not the event (it was sent): say which one, and how to follow it.
  const stop = new AbortController();
  const off = ctx.io.onSignal(() => stop.abort());
  const interrupted = new Promise<never>((_, reject) =>
    stop.signal.addEventListener('abort', () =>
      reject(
        new CancelledError(
          `Stopped waiting; the test event ${eventId} (${eventType}) was sent and Anchor goes on delivering it.`,
          {
            hint: `Follow its delivery with \`anchor webhooks deliveries ${id} --event ${eventType} --follow\`.`,
          },
        ),
      ),
    ),
  );
  interrupted.catch(() => {});
  let row: DeliveryRow | undefined;
  try {
    const wait = async () => {
      for (let delay = 250; !stop.signal.aborted; delay = Math.min(2000, delay * 1.5)) {
        const page = await api.listDeliveries(id, { event_type: eventType, limit: 100 });
        row = page.events.find((r) => r.external_event_id === sent.external_event_id);
        if (row && FINAL_STATUSES.has(row.status)) break;
        if (row) spinner.update(`Waiting for the delivery of ${eventId}: ${describeDelivery(row)}…`);
        // For `anchor mcp`: seconds waited of the deadline, so a client can see the wait is alive.
        ctx.io.progress?.({
          progress: Math.round((ctx.now().getTime() - started) / 100) / 10,
          total: waitTimeoutMs / 1000,
          message: row ? describeDelivery(row) : `${eventId} is not in the delivery log yet`,
        });
        if (ctx.now().getTime() + delay > deadline) break;
        await sleep(delay, stop.signal);
      }
    };
    await Promise.race([wait(), interrupted]);
  } finally {
    off();
    spinner.stop();
  }
  return row;
}

/** Why a waited-for delivery is a failure (still going, or ended badly); undefined when it succeeded. */
function waitFailure(row: DeliveryRow | undefined, eventId: string, id: string, waitTimeoutMs: number) {
  if (!row || !FINAL_STATUSES.has(row.status))
    return new TimeoutError(
      `the delivery of ${eventId} had not ended after ${formatDuration(waitTimeoutMs)}${row ? ` (${describeDelivery(row)})` : ' (not in the log yet)'}`,
      {
        hint: `Anchor keeps retrying; follow it with \`anchor webhooks deliveries ${id} --follow\`, or wait longer with --wait-timeout.`,
      },
    );
  if (row.status !== 'succeeded')
    return new CheckFailedError(`the test delivery did not succeed: ${describeDelivery(row)}`, {
      hint:
        row.status === 'failed'
          ? 'Your endpoint answered with a 4xx that is not retried; check its logs.'
          : 'Check that your endpoint is reachable and answers 2xx within 10 seconds.',
    });
  return undefined;
}

async function renderTest(result: TestResult, ctx: Context): Promise<void> {
  const { id, eventType } = viewOf(result);
  if (!('delivery' in result)) {
    // The API's id, shown escaped: it is printed to a terminal.
    ctx.out(`${escapeControl(result.external_event_id)}\n`);
    ctx.err(
      `Sent a test ${eventType} to ${id}. Follow it with \`anchor webhooks deliveries ${id} --event ${eventType}\`, or use --wait.\n`,
    );
    return;
  }
  const row = result.delivery;
  if (row) await printDeliveryRows(ctx, [row]);
  if (row?.status === 'succeeded')
    ctx.err(`${style(ctx.colorStderr).green('✓')} Delivered: your endpoint answered ${row.response_status}.\n`);
}

export default handler(
  testCommand,
  async (flags, [given], ctx): Promise<TestResult> => {
    const id = await resolveWebhookId(ctx, given, 'test');
    const eventType = flags.event === undefined ? await pickEvent(ctx) : requireEventType(flags.event, '--event');
    const api = await ctx.api();
    const sent = await ctx.withSpinner(`Sending a test ${eventType} to ${id}…`, () => api.sendTestEvent(id, eventType));
    if (!flags.wait) return withView(sent, { id, eventType });
    const row = await waitForDelivery(ctx, id, eventType, sent, flags.waitTimeout);
    const failure = waitFailure(row, escapeControl(sent.external_event_id), id, flags.waitTimeout);
    return failing(withView({ ...sent, delivery: row ?? null }, { id, eventType }), failure);
  },
  renderTest,
);
