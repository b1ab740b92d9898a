// `listen` from start to stop, as named steps: the secret (a temporary webhook's, with the
// forwarding secret to re-sign with, or the user's), the record, a --backfill, the receiver, the ready line, the inspector and the ready file, then
// the wait (Ctrl-C, or --until), and the clean-up in reverse.
import type { Context } from '../../../context.js';
import { bindError } from '../../../lib/serve.js';
import { readSecret } from '../../../local/inputs.js';
import { forwardingSecretForListen, temporarySecrets, printSecretCommand } from './forwarding.js';
import { startReceiver } from '../../../local/receiver.js';
import type { RunningReceiver } from '../../../local/receiver-types.js';
import { RecordWriter, type RecordedRequest } from '../../../local/record.js';
import { backfill } from '../../../local/backfill.js';
import { checkReadyFile, removeReadyFile, writeReadyFile } from '../../../lib/ready-file.js';
import { escapeControl, style } from '../../../ui/format.js';
import { openInspector } from '../shared/open-inspector.js';
import { printBackfilled, printEvent, stderrReports, warnIfSlow } from './lines.js';
import { DEFAULT_FORWARD_TIMEOUT_MS } from '../../../local/app-wait.js';
import { routeFor, usesPatterns } from '../../../local/forward-routes.js';
import { formatMs, type ListenOptions } from './options.js';
import {
  deleteTemporaryWebhook,
  dropTemporaryWebhook,
  registerTemporaryWebhook,
  type TemporaryWebhook,
} from './temporary-webhook.js';
import { describeUntil, UntilWatch, type Outcome } from './until.js';
import { newProbeToken, removeListenState, writeListenState } from '../../../local/listen-state.js';

/** Where `listen` gets its secret without --register: never the forwarding secret, which signs nothing of Anchor's. */
const LISTEN_SECRET_HINT =
  "listen verifies Anchor's deliveries with the webhook's signing secret: pass --secret-file <path> (or - for stdin) or set ANCHOR_WEBHOOK_SECRET (it was shown once when the webhook was created), or use --register <public-url>, which creates a temporary webhook whose secret listen knows.";

export async function runListen(options: ListenOptions, ctx: Context): Promise<void> {
  // Before anything is registered or opened: a refused --ready-file leaves nothing to clean up.
  if (options.readyFile !== undefined) checkReadyFile(options.readyFile);
  const temporary = options.register
    ? await registerTemporaryWebhook(ctx, options.register, options.events)
    : undefined;
  const secrets = temporary
    ? temporarySecrets(ctx, temporary.secret)
    : [await readSecret(ctx, options.secretFile, LISTEN_SECRET_HINT)];
  // Under --register, the app cannot know each run's temporary secret: what it gets is re-signed
  // with the forwarding secret, which it is configured with once.
  const forwardSecret = temporary ? forwardingSecretForListen(ctx) : undefined;
  const until = options.until ? new UntilWatch(options.until) : undefined;
  const reports = stderrReports(ctx);
  const record = options.record ? openRecord(ctx) : undefined;
  if (options.backfill && options.routes.length > 0)
    // Signed as listen forwards: with the forwarding secret under --register, else the webhook's.
    await runBackfill(ctx, options.backfill, options.routes, forwardSecret ?? secrets[0]!, record, until !== undefined);

  const probe = newProbeToken();
  const receiver = await startReceiving(ctx, options, secrets, {
    until,
    reports,
    record,
    temporary,
    forwardSecret,
    probe,
  });
  // The handler goes in before the ready line: a script that sends SIGINT as soon as it reads
  // "Ready" must find it there, or the process dies without cleaning up.
  const stopped = new Promise<void>((resolve) => {
    const off = ctx.io.onSignal(() => {
      off();
      resolve();
    });
  });
  ctx.err(readyLine(ctx, options, receiver, temporary, until));
  const inspector =
    options.inspect !== undefined
      ? await openInspector(ctx, options.inspect, () => forwardSecret ?? secrets[0], replayTarget(options)).catch(
          async (err: unknown) => {
            await receiver.close();
            throw err;
          },
        )
      : undefined;
  if (inspector) ctx.err(`Inspector: ${inspector.url}\n`);
  if (options.readyFile !== undefined) {
    try {
      writeReadyFile(options.readyFile, `${receiver.url}\n`);
    } catch (err) {
      ctx.err(
        `${style(ctx.colorStderr).yellow('!')} could not write --ready-file ${options.readyFile}: ${(err as Error).message}\n`,
      );
    }
  }

  // Last, once everything it describes is up: a listener found through it answers.
  const statePath = writeListenState(ctx.env, {
    v: 1,
    pid: process.pid,
    url: receiver.url,
    port: receiver.port,
    public_url: options.register ?? null,
    tunnel: null,
    forward_to: options.forwardTo?.toString() ?? null,
    probe,
    started_at: ctx.now().toISOString(),
  });

  const outcome = await waitForEnd(stopped, until);
  removeListenState(statePath);
  await receiver.close();
  await inspector?.close();
  record?.close();
  reports.flush();
  if (options.readyFile !== undefined) removeReadyFile(options.readyFile, `${receiver.url}\n`);
  if (temporary) await deleteTemporaryWebhook(ctx, temporary);
  if (!until) {
    ctx.err(`${style(ctx.colorStderr).dim('Stopped.')}\n`);
    return;
  }
  until.finish(outcome, ctx);
}

/**
 * The delivery record: every request, before it is answered. A record that cannot be opened is
 * said once, and listening goes on without it.
 */
function openRecord(ctx: Context): RecordWriter | undefined {
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
async function runBackfill(
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

/** Starts the receiver; one that cannot bind deletes the temporary webhook, and says why as the user can act on it. */
async function startReceiving(
  ctx: Context,
  options: ListenOptions,
  secrets: readonly string[],
  hooks: {
    until: UntilWatch | undefined;
    reports: ReturnType<typeof stderrReports>;
    record: RecordWriter | undefined;
    temporary: TemporaryWebhook | undefined;
    forwardSecret: string | undefined;
    /** The token the health path answers (the state file holds it). */
    probe: string;
  },
): Promise<RunningReceiver> {
  const { until, reports, record, temporary, forwardSecret, probe } = hooks;
  const lineOptions = { showRoute: usesPatterns(options.routes), printResponse: options.printResponse };
  try {
    return await startReceiver({
      ...(record ? { record } : {}),
      port: options.port,
      host: options.host,
      path: options.path,
      secrets: () => secrets,
      ...(options.events ? { events: new Set(options.events) } : {}),
      ...(options.routes.length > 0 ? { routes: options.routes } : {}),
      ...(options.forwardTimeoutMs !== undefined ? { forwardTimeoutMs: options.forwardTimeoutMs } : {}),
      ...(forwardSecret !== undefined ? { forwardSecret } : {}),
      dedupe: options.dedupe,
      health: { token: probe },
      now: () => ctx.now(),
      onEvent: (ev, body) => {
        until?.observe(ev, body);
        warnIfSlow(ctx, ev, options.forwardTimeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS);
        // With --until --json, stdout is kept for the matching envelope alone.
        if (until && ctx.globals.json) return;
        printEvent(ctx, ev, lineOptions);
      },
      onReject: reports.onReject,
      onDuplicate: reports.onDuplicate,
      onPreviousSecret: reports.onPreviousSecret,
    });
  } catch (err) {
    if (temporary) await dropTemporaryWebhook(ctx, temporary);
    throw bindError(err, options.host, options.port) ?? err;
  }
}

/** Where `listen` listens, what it does with what comes, and how it ends: one line, once ready. */
function readyLine(
  ctx: Context,
  options: ListenOptions,
  receiver: RunningReceiver,
  temporary: TemporaryWebhook | undefined,
  until: UntilWatch | undefined,
): string {
  const waiting = until
    ? `; waiting for ${describeUntil(until.until)} (at most ${formatMs(until.until.timeoutMs)})`
    : '';
  const forwarding = options.routes.length
    ? `, forwarding to ${describeRoutes(options.routes)}${temporary ? ` signed with the forwarding secret (\`${printSecretCommand(ctx)}\` prints it for your app's .env)` : ''}`
    : '';
  const duplicates = options.dedupe
    ? options.routes.length
      ? 'dropped before the app'
      : 'acknowledged, not printed again'
    : options.routes.length
      ? 'forwarded to the app too (marked)'
      : 'printed again (marked)';
  return `Ready: listening on ${receiver.url}${forwarding}${temporary ? `; temporary webhook ${escapeControl(temporary.id)} delivers to ${options.register}` : ''}; duplicates: ${duplicates}${waiting}. Ctrl-C to stop.\n`;
}

/** The routes as the ready line says them: `task.* → http://…, otherwise → http://…`, or the one URL. */
function describeRoutes(routes: ListenOptions['routes']): string {
  if (!usesPatterns(routes)) return routes[0]!.url.toString();
  const each = routes.map((r) => `${r.pattern ?? 'otherwise'} → ${r.url}`);
  return `${each.join(', ')}${routes.some((r) => r.pattern === undefined) ? '' : ' (other types: not forwarded)'}`;
}

/**
 * Where the inspector's replays go: the default --forward-to as before, or with routes by type the
 * route that matches each record's type (none: the URL it was forwarded to, as recorded).
 */
function replayTarget(options: ListenOptions): URL | ((r: RecordedRequest) => URL | undefined) | undefined {
  if (!usesPatterns(options.routes)) return options.forwardTo;
  return (r) => (r.event_type !== undefined ? routeFor(options.routes, r.event_type)?.url : undefined);
}

/** Ctrl-C, or with --until the awaited event or the deadline, whichever comes first. */
async function waitForEnd(stopped: Promise<void>, until: UntilWatch | undefined): Promise<Outcome> {
  const outcome = await Promise.race([
    stopped.then(() => 'stopped' as const),
    ...(until ? [until.matched.then(() => 'matched' as const), until.deadline()] : []),
  ]);
  until?.cancelDeadline();
  return outcome;
}
