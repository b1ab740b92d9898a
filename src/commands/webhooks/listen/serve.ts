// `listen` from start to stop, as named steps: the secret (a temporary webhook's, with the
// forwarding secret to re-sign with, or the user's), the record, a --backfill, the receiver, with
// --tunnel the tunnel proven and only then the temporary webhook, the ready line, the inspector
// and the ready file, then the wait (Ctrl-C, --until, or the tunnel program's exit), and the
// clean-up in reverse.
import type { Context } from '../../../context.js';
import { bindError } from '../../../lib/serve.js';
import { readSecret } from '../../../local/inputs.js';
import { forwardingSecretForListen, temporarySecrets } from './forwarding.js';
import { startReceiver } from '../../../local/receiver.js';
import type { RunningReceiver } from '../../../local/receiver-types.js';
import type { RecordWriter } from '../../../local/record.js';
import { replayTarget } from './replay-target.js';
import { openRecord, runBackfill } from './before-serving.js';
import { checkReadyFile, removeReadyFile, writeReadyFile } from '../../../lib/ready-file.js';
import { style } from '../../../ui/format.js';
import { openInspector } from '../shared/open-inspector.js';
import { printEvent, stderrReports, warnIfSlow } from './lines.js';
import { DEFAULT_FORWARD_TIMEOUT_MS } from '../../../local/app-wait.js';
import { usesPatterns } from '../../../local/forward-routes.js';
import type { ListenOptions } from './options.js';
import {
  deleteTemporaryWebhook,
  dropTemporaryWebhook,
  registerTemporaryWebhook,
  type TemporaryWebhook,
} from './temporary-webhook.js';
import { UntilWatch, type Outcome } from './until.js';
import { newProbeToken, removeListenState, writeListenState } from '../../../local/listen-state.js';
import {
  noteLeftoverTunnels,
  tunnelAndWebhook,
  tunnelExitedError,
  watchOpenTunnel,
  webhookUrlOf,
  type OpenTunnel,
} from './tunnel.js';
import { readyLine } from './ready-line.js';

/** Where `listen` gets its secret without --register: never the forwarding secret, which signs nothing of Anchor's. */
const LISTEN_SECRET_HINT =
  "listen verifies Anchor's deliveries with the webhook's signing secret: pass --secret-file <path> (or - for stdin) or set ANCHOR_WEBHOOK_SECRET (it was shown once when the webhook was created), or use --register <public-url>, which creates a temporary webhook whose secret listen knows.";

export async function runListen(options: ListenOptions, ctx: Context): Promise<void> {
  // Before anything is registered or opened: a refused --ready-file leaves nothing to clean up.
  if (options.readyFile !== undefined) checkReadyFile(options.readyFile);
  noteLeftoverTunnels(ctx);
  let temporary = options.register ? await registerTemporaryWebhook(ctx, options.register, options.events) : undefined;
  // With --tunnel, none until the tunnel is proven and its webhook registered: the receiver
  // answers deliveries 503 meanwhile.
  let secrets: readonly string[] = temporary
    ? temporarySecrets(ctx, temporary.secret)
    : options.tunnel
      ? []
      : [await readSecret(ctx, options.secretFile, LISTEN_SECRET_HINT)];
  if (options.tunnel) await ctx.api(); // a missing key is said before a tunnel starts
  // Under --register (and --tunnel), the app cannot know each run's temporary secret: what it gets
  // is re-signed with the forwarding secret, which it is configured with once.
  const forwardSecret = temporary || options.tunnel ? forwardingSecretForListen(ctx) : undefined;
  const until = options.until ? new UntilWatch(options.until) : undefined;
  const reports = stderrReports(ctx);
  const record = options.record ? openRecord(ctx) : undefined;
  if (options.backfill && options.routes.length > 0)
    // Signed as listen forwards: with the forwarding secret under --register, else the webhook's.
    await runBackfill(
      ctx,
      options.backfill,
      options.routes,
      (forwardSecret ?? secrets[0])!,
      record,
      until !== undefined,
    );

  // The handler goes in before the ready line: a script that sends SIGINT as soon as it reads
  // "Ready" must find it there, or the process dies without cleaning up; and before a tunnel
  // starts, so that a Ctrl-C between its steps ends listen in order, the tunnel stopped.
  const stopped = new Promise<void>((resolve) => {
    const off = ctx.io.onSignal(() => {
      off();
      resolve();
    });
  });
  const probe = newProbeToken();
  let probes = 0;
  const probeSeen = { token: probe, count: () => probes };
  const receiver = await startReceiving(ctx, options, () => secrets, {
    until,
    reports,
    record,
    temporary,
    forwardSecret,
    probe,
    onProbe: () => probes++,
  });
  let tunnel: OpenTunnel | undefined;
  if (options.tunnel) {
    // The receiver is up first (the proof reaches it), the webhook registered only after the proof.
    try {
      ({ tunnel, temporary } = await tunnelAndWebhook(ctx, options, options.tunnel, receiver.port, probeSeen));
    } catch (err) {
      await receiver.close();
      record?.close();
      throw err;
    }
    secrets = temporarySecrets(ctx, temporary.secret);
  }
  const publicUrl = tunnel ? webhookUrlOf(tunnel, options.path) : options.register;
  try {
    await serveUntilEnd(ctx, options, {
      receiver,
      temporary,
      tunnel,
      publicUrl,
      until,
      reports,
      record,
      forwardSecret,
      secrets: () => secrets,
      probe,
      probeSeen,
      stopped,
    });
  } finally {
    // Every way out (an error after the start included) stops the tunnel program.
    await tunnel?.running.stop();
  }
}

interface Serving {
  receiver: RunningReceiver;
  temporary: TemporaryWebhook | undefined;
  tunnel: OpenTunnel | undefined;
  publicUrl: string | undefined;
  until: UntilWatch | undefined;
  reports: ReturnType<typeof stderrReports>;
  record: RecordWriter | undefined;
  forwardSecret: string | undefined;
  secrets: () => readonly string[];
  probe: string;
  probeSeen: { token: string; count: () => number };
  stopped: Promise<void>;
}

/** From the ready line to the clean-up: serving until Ctrl-C, --until, or the tunnel's end. */
async function serveUntilEnd(ctx: Context, options: ListenOptions, s: Serving): Promise<void> {
  const { receiver, temporary, tunnel, publicUrl, until, reports, record, forwardSecret, probe, stopped } = s;
  const registered = temporary && publicUrl !== undefined ? { id: temporary.id, url: publicUrl } : undefined;
  // Once everything it describes is up (a listener found through it answers), and before the
  // ready line: whoever acts on "Ready" (doctor in another terminal, a script) finds it.
  const statePath = writeListenState(ctx.env, {
    v: 1,
    pid: process.pid,
    url: receiver.url,
    port: receiver.port,
    public_url: publicUrl ?? null,
    tunnel: tunnel?.name ?? null,
    ...(tunnel ? { tunnel_pid: tunnel.running.pid } : {}),
    forward_to: options.forwardTo?.toString() ?? null,
    probe,
    started_at: ctx.now().toISOString(),
  });

  ctx.err(readyLine(ctx, options, receiver, registered, until));
  const inspector =
    options.inspect !== undefined
      ? await openInspector(ctx, options.inspect, () => forwardSecret ?? s.secrets()[0], replayTarget(options)).catch(
          async (err: unknown) => {
            removeListenState(statePath);
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

  const stopWatch = tunnel ? watchOpenTunnel(ctx, tunnel, s.probeSeen) : undefined;
  const outcome = await waitForEnd(stopped, until, tunnel);
  stopWatch?.();
  removeListenState(statePath);
  // Before the webhook is deleted (which may throw): the tunnel never outlives listen.
  await tunnel?.running.stop();
  await receiver.close();
  await inspector?.close();
  record?.close();
  reports.flush();
  if (options.readyFile !== undefined) removeReadyFile(options.readyFile, `${receiver.url}\n`);
  if (temporary) await deleteTemporaryWebhook(ctx, temporary);
  if (typeof outcome === 'object') throw tunnelExitedError(outcome.tunnel, outcome.how);
  if (!until) {
    ctx.err(`${style(ctx.colorStderr).dim('Stopped.')}\n`);
    return;
  }
  until.finish(outcome, ctx);
}

/** Starts the receiver; one that cannot bind deletes the temporary webhook, and says why as the user can act on it. */
async function startReceiving(
  ctx: Context,
  options: ListenOptions,
  secrets: () => readonly string[],
  hooks: {
    until: UntilWatch | undefined;
    reports: ReturnType<typeof stderrReports>;
    record: RecordWriter | undefined;
    temporary: TemporaryWebhook | undefined;
    forwardSecret: string | undefined;
    /** The token the health path answers (the state file holds it). */
    probe: string;
    onProbe: () => void;
  },
): Promise<RunningReceiver> {
  const { until, reports, record, temporary, forwardSecret, probe, onProbe } = hooks;
  const lineOptions = { showRoute: usesPatterns(options.routes), printResponse: options.printResponse };
  try {
    return await startReceiver({
      ...(record ? { record } : {}),
      port: options.port,
      host: options.host,
      path: options.path,
      secrets,
      ...(options.events ? { events: new Set(options.events) } : {}),
      ...(options.routes.length > 0 ? { routes: options.routes } : {}),
      ...(options.forwardTimeoutMs !== undefined ? { forwardTimeoutMs: options.forwardTimeoutMs } : {}),
      ...(forwardSecret !== undefined ? { forwardSecret } : {}),
      dedupe: options.dedupe,
      health: { token: probe, onProbe },
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

/**
 * Ctrl-C, with --until the awaited event or the deadline, or the tunnel program's exit (listen
 * then ends with exit 1: without its tunnel nothing reaches it, and its webhook would only fail).
 */
async function waitForEnd(
  stopped: Promise<void>,
  until: UntilWatch | undefined,
  tunnel: OpenTunnel | undefined,
): Promise<Outcome | { tunnel: OpenTunnel; how: string }> {
  const outcome = await Promise.race([
    stopped.then(() => 'stopped' as const),
    ...(until ? [until.matched.then(() => 'matched' as const), until.deadline()] : []),
    ...(tunnel ? [tunnel.running.exited.then((how) => ({ tunnel, how }))] : []),
  ]);
  until?.cancelDeadline();
  return outcome;
}
