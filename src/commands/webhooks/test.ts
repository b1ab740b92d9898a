// `anchor webhooks test <id> --event <type> [--wait]`: sends a test event through Anchor's real
// signing and retry path; with --wait, follows the delivery log until that delivery ends.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { CancelledError, CheckFailedError, CliError } from '../../errors.js';
import { EVENT_CATALOG } from '../../core/events.js';
import type { DeliveryRow } from '../../api/schemas.js';
import { sleep } from '../../lib/time.js';
import { escapeControl, style } from '../../ui/format.js';
import { requireEventType } from '../flags.js';
import { formatDuration } from '../../lib/duration.js';
import { resolveWebhookId } from './shared/prompts.js';
import type { testCommand } from './test.decl.js';
import { describeDelivery, FINAL_STATUSES, printDeliveryRows } from './shared/delivery-rows.js';

export interface TestOptions {
  event: string | undefined;
  wait: boolean;
  waitTimeoutMs: number;
}

export function parse(input: RawInput): TestOptions {
  const o = input.flags<typeof testCommand>();
  return { event: o.event, wait: o.wait, waitTimeoutMs: o.waitTimeout ?? 60_000 };
}

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

export async function runTest(id: string, options: TestOptions, ctx: Context): Promise<void> {
  const eventType = options.event === undefined ? await pickEvent(ctx) : requireEventType(options.event, '--event');
  const api = await ctx.api();
  const sent = await ctx.withSpinner(`Sending a test ${eventType} to ${id}…`, () => api.sendTestEvent(id, eventType));
  // The API's id, shown escaped: it is printed to a terminal.
  const eventId = escapeControl(sent.external_event_id);
  if (!options.wait) {
    if (ctx.globals.json) ctx.outJson(sent);
    else {
      ctx.out(`${eventId}\n`);
      ctx.err(
        `Sent a test ${eventType} to ${id}. Follow it with \`anchor webhooks deliveries ${id} --event ${eventType}\`, or use --wait.\n`,
      );
    }
    return;
  }

  const deadline = ctx.now().getTime() + options.waitTimeoutMs;
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
        if (ctx.now().getTime() + delay > deadline) break;
        await sleep(delay, stop.signal);
      }
    };
    await Promise.race([wait(), interrupted]);
  } finally {
    off();
    spinner.stop();
  }

  if (ctx.globals.json) ctx.outJson({ ...sent, delivery: row ?? null });
  else if (row) await printDeliveryRows(ctx, [row]);
  if (!row || !FINAL_STATUSES.has(row.status)) {
    throw new CliError(
      `the delivery of ${eventId} had not ended after ${formatDuration(options.waitTimeoutMs)}${row ? ` (${describeDelivery(row)})` : ' (not in the log yet)'}`,
      {
        hint: `Anchor keeps retrying; follow it with \`anchor webhooks deliveries ${id} --follow\`, or wait longer with --wait-timeout.`,
      },
    );
  }
  if (row.status !== 'succeeded') {
    throw new CheckFailedError(`the test delivery did not succeed: ${describeDelivery(row)}`, {
      hint:
        row.status === 'failed'
          ? 'Your endpoint answered with a 4xx that is not retried; check its logs.'
          : 'Check that your endpoint is reachable and answers 2xx within 10 seconds.',
    });
  }
  if (!ctx.globals.json)
    ctx.err(`${style(ctx.colorStderr).green('✓')} Delivered: your endpoint answered ${row.response_status}.\n`);
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const options = parse(input);
  await runTest(await resolveWebhookId(ctx, input.args[0], 'test'), options, ctx);
}
