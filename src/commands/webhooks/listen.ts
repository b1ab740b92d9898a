// `anchor webhooks listen`: a local receiver that verifies every delivery, prints each event, can
// relay it to a local app, and with --register points a temporary webhook at a public tunnel URL.
import { hostname } from 'node:os';
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { CancelledError, CliError, UsageError } from '../../errors.js';
import { bindError } from '../../lib/serve.js';
import { EVENT_TYPES } from '../../core/events.js';
import { normalizeWebhookUrl } from '../../core/url-rules.js';
import { readSecret } from '../../local/inputs.js';
import { startReceiver, type ReceivedEvent, type Rejection } from '../../local/receiver.js';
import { RecordWriter } from '../../local/record.js';
import { backfill } from '../../local/backfill.js';
import { openInspector } from './inspect.js';
import type { ApiClient } from '../../api/client.js';
import { escapeControl, style, truncate } from '../../ui/format.js';
import { allowLocalTargets, checkEventsFlag, checkUrlFlag } from '../flags.js';
import { hasValue, parseAssignment, type Assignment } from '../../local/set-path.js';
import { checkReadyFile, removeReadyFile, writeReadyFile } from '../../lib/ready-file.js';
import type { listenCommand } from './listen.decl.js';

export const TEMPORARY_MARK = 'anchor webhooks listen (temporary)';

export interface ListenOptions {
  port: number;
  host: string;
  path: string;
  events: string[] | undefined;
  forwardTo: URL | undefined;
  register: string | undefined;
  secretFile: string | undefined;
  /** --until: the event type that ends the wait, the fields it must have, and the deadline. */
  until?: { type: string; match: Assignment[]; timeoutMs: number };
  readyFile: string | undefined;
  /** Keep every request in the delivery record (false with --no-record). */
  record: boolean;
  /** --inspect: the port of the inspector page. */
  inspect?: number;
  /** --webhook <id> --backfill <dur>. */
  backfill?: { webhookId: string; windowMs: number };
}

/** How long --until waits unless --wait-timeout says otherwise. */
export const DEFAULT_UNTIL_TIMEOUT_MS = 10 * 60_000;

export function parse(input: RawInput, env: Record<string, string | undefined>): ListenOptions {
  const o = input.flags<typeof listenCommand>();
  const port = o.port;
  const path = o.path;
  if (!path.startsWith('/')) throw new UsageError(`invalid --path "${path}": it must start with /`);
  const events = o.events;
  if (events) {
    if (events.length === 0) throw new UsageError('invalid --events: give at least one event type');
    checkEventsFlag(events, '--events');
  }
  const forwardTo = o.forwardTo;
  // The pairwise rules (--register and --secret-file, --backfill and --webhook, …) are in the
  // declaration and were checked as the flags were parsed.
  if (o.register !== undefined) checkUrlFlag(o.register, allowLocalTargets(o.allowLocalTargets, env), '--register');
  const backfill =
    o.webhook !== undefined && o.backfill !== undefined ? { webhookId: o.webhook, windowMs: o.backfill } : undefined;
  let until: ListenOptions['until'];
  if (o.until !== undefined) {
    checkEventsFlag([o.until], '--until');
    if (events && !events.includes(o.until))
      throw new UsageError(`--until ${o.until} would never come: it is not in --events`);
    const match = o.match.map((raw) => {
      const a = parseAssignment(raw);
      if (typeof a === 'string') throw new UsageError(`invalid --match "${raw}": ${a}`);
      return a;
    });
    until = { type: o.until, match, timeoutMs: o.waitTimeout ?? DEFAULT_UNTIL_TIMEOUT_MS };
  }
  return {
    port,
    host: o.host,
    path,
    events,
    forwardTo,
    register: o.register,
    secretFile: o.secretFile,
    ...(until ? { until } : {}),
    readyFile: o.readyFile,
    record: o.record,
    ...(o.inspect !== undefined ? { inspect: o.inspect } : {}),
    ...(backfill ? { backfill } : {}),
  };
}

export const REFUSAL_LINES_BURST = 20;
export const REFUSAL_LINES_PER_SECOND = 5;

/** Prints refusal lines up to a rate; the rest are counted and reported with the next line printed. */
export function refusalLog(
  write: (line: string) => void,
  now: () => number,
): { log: (line: string) => void; flush: () => void } {
  let tokens = REFUSAL_LINES_BURST;
  let last = now();
  let suppressed = 0;
  const flush = () => {
    if (suppressed > 0) write(`  … and ${suppressed} more refused request${suppressed === 1 ? '' : 's'} not shown\n`);
    suppressed = 0;
  };
  return {
    log(line) {
      const t = now();
      tokens = Math.min(REFUSAL_LINES_BURST, tokens + ((t - last) / 1000) * REFUSAL_LINES_PER_SECOND);
      last = t;
      if (tokens < 1) {
        suppressed++;
        return;
      }
      tokens -= 1;
      flush();
      write(line);
    },
    flush,
  };
}

/** Offers to remove temporary webhooks left by a run that crashed before it could clean up. */
async function cleanUpLeftovers(ctx: Context, api: ApiClient): Promise<void> {
  const { webhooks } = await api.listWebhooks();
  const left = webhooks.filter((w) => w.description?.startsWith(TEMPORARY_MARK));
  if (left.length === 0) return;
  const list = left.map((w) => `${escapeControl(w.id)} → ${escapeControl(w.url)}`).join(', ');
  if (!ctx.canPrompt) {
    ctx.err(
      `Note: ${left.length} temporary webhook(s) left by an earlier \`listen --register\`: ${list}. Remove them with \`anchor webhooks delete <id> --yes\`.\n`,
    );
    return;
  }
  const p = await ctx.prompter();
  if (
    await p.confirm(
      `Remove ${left.length} temporary webhook(s) left by an earlier run that did not clean up (${list})?`,
      '--yes',
      true,
    )
  ) {
    for (const w of left) await api.deleteWebhook(w.id);
    ctx.err(`Removed ${left.length} leftover webhook(s).\n`);
  }
}

export async function runListen(options: ListenOptions, ctx: Context): Promise<void> {
  const s = style(ctx.colorStdout);
  const e = style(ctx.colorStderr);
  // Before anything is registered or opened: a refused --ready-file leaves nothing to clean up.
  if (options.readyFile !== undefined) checkReadyFile(options.readyFile);
  let secrets: string[];
  let registered: { id: string; api: ApiClient } | undefined;
  if (options.register) {
    const api = await ctx.api();
    await cleanUpLeftovers(ctx, api);
    const description = `${TEMPORARY_MARK} on ${hostname()} pid ${process.pid} since ${ctx.now().toISOString()}`;
    const created = await ctx.withSpinner('Registering a temporary webhook…', () =>
      api.createWebhook({
        url: normalizeWebhookUrl(options.register!),
        subscribed_events: options.events ?? [...EVENT_TYPES],
        description,
      }),
    );
    ctx.addSecret(created.secret);
    secrets = [created.secret];
    registered = { id: created.id, api };
  } else {
    secrets = [await readSecret(ctx, options.secretFile)];
  }

  // --until: the first verified event of the type whose fields match ends the wait.
  const until = options.until;
  const seen = new Map<string, number>();
  let match: { envelope: unknown; event: ReceivedEvent } | undefined;
  let onMatch: () => void = () => {};
  const matched = new Promise<void>((resolve) => (onMatch = resolve));
  const onEvent = (ev: ReceivedEvent, body: Buffer) => {
    if (until) {
      seen.set(ev.type, (seen.get(ev.type) ?? 0) + 1);
      if (!match && ev.type === until.type) {
        const envelope: unknown = JSON.parse(body.toString('utf8'));
        if (until.match.every((m) => hasValue(envelope, m))) {
          match = { envelope, event: ev };
          onMatch();
        }
      }
      // With --json, stdout is kept for the matching envelope alone.
      if (ctx.globals.json) return;
    }
    if (ctx.globals.json) {
      ctx.out(`${JSON.stringify(ev)}\n`);
      return;
    }
    const time = ev.received_at.slice(11, 19);
    let forward = '';
    if (ev.forward && 'status' in ev.forward) {
      const ok = ev.forward.status >= 200 && ev.forward.status < 300;
      forward = `  → ${ok ? s.green(String(ev.forward.status)) : s.red(String(ev.forward.status))} in ${ev.forward.latency_ms} ms${ev.forward.truncated ? ' (its answer was over 1 MiB: cut)' : ''}`;
    } else if (ev.forward) forward = `  → ${s.red(`failed: ${escapeControl(ev.forward.error)}`)}`;
    ctx.out(
      `${s.dim(time)}  ${s.cyan(escapeControl(ev.type))}  ${escapeControl(ev.id)}  ${escapeControl(ev.text)}${forward}\n`,
    );
  };
  // Refusals are a stranger's to trigger: their lines are escaped, cut, and at most a few a second.
  const refusals = refusalLog(
    (line) => ctx.err(line),
    () => ctx.now().getTime(),
  );
  const onReject = (r: Rejection) => {
    refusals.log(
      `${e.red('✗')} ${r.status} ${truncate(escapeControl(r.reason), 300)}${r.diagnosis ? `\n  likely cause: ${truncate(escapeControl(r.diagnosis), 600)}` : ''}\n`,
    );
  };

  // The delivery record: every request, before it is answered. A record that cannot be opened
  // is said once, and listening goes on without it.
  let record: RecordWriter | undefined;
  if (options.record) {
    try {
      record = RecordWriter.open(
        ctx.env,
        (t) => ctx.redact(t),
        () => ctx.now().getTime(),
      );
    } catch (err) {
      ctx.err(
        `${e.yellow('!')} not recording (${escapeControl((err as Error).message)}); listening goes on. Pass --no-record to silence this.\n`,
      );
    }
  }

  if (options.backfill && options.forwardTo) {
    const api = await ctx.api();
    const b = options.backfill;
    const done = await ctx.withSpinner(`Reading the delivery log of ${b.webhookId}…`, () =>
      backfill({
        api,
        webhookId: b.webhookId,
        windowMs: b.windowMs,
        now: () => ctx.now(),
        secret: secrets[0]!,
        forwardTo: options.forwardTo!,
        env: ctx.env,
        ...(record ? { record } : {}),
        onDelivered: (d) => {
          if (ctx.globals.json) {
            if (!until)
              ctx.out(
                `${JSON.stringify({ received_at: ctx.now().toISOString(), id: d.envelope.id, type: d.envelope.type, text: d.envelope.text, delivery_id: null, backfilled: true, forward: d.error ? { error: d.error } : { status: d.status, latency_ms: d.latency_ms } })}\n`,
              );
            return;
          }
          const ok = d.status >= 200 && d.status < 300;
          ctx.out(
            `${s.yellow('↻ backfilled')}  ${s.cyan(escapeControl(d.envelope.type))}  ${escapeControl(d.envelope.id)}  → ${d.error ? s.red(`failed: ${escapeControl(d.error)}`) : ok ? s.green(String(d.status)) : s.red(String(d.status))}${d.error ? '' : ` in ${d.latency_ms} ms`}\n`,
          );
        },
      }),
    );
    ctx.err(
      `Backfill: ${done.length} event(s) of ${b.webhookId} had not succeeded in the last ${formatMs(b.windowMs)}; re-delivered to ${options.forwardTo}.\n`,
    );
  }

  let receiver;
  try {
    receiver = await startReceiver({
      ...(record ? { record } : {}),
      port: options.port,
      host: options.host,
      path: options.path,
      secrets: () => secrets,
      ...(options.events ? { events: new Set(options.events) } : {}),
      ...(options.forwardTo ? { forwardTo: options.forwardTo } : {}),
      now: () => ctx.now(),
      onEvent,
      onReject,
      onDuplicate: (id) =>
        ctx.err(
          `${e.dim(`↺ ${escapeControl(id)} again: already processed, acknowledged (200), not printed or forwarded again`)}\n`,
        ),
      onPreviousSecret: (() => {
        let warned = false;
        return (id: string) => {
          if (warned) return;
          warned = true;
          ctx.err(
            `${e.yellow('!')} ${escapeControl(id)} verified only with the previous secret of a rotation (its second v1=): this secret stops signing 24 hours after the rotation. Switch to the new one.\n`,
          );
        };
      })(),
    });
  } catch (err) {
    if (registered) {
      await registered.api.deleteWebhook(registered.id).then(
        () => ctx.err(`Deleted the temporary webhook ${escapeControl(registered.id)}.\n`),
        () =>
          ctx.err(
            `Could not delete the temporary webhook ${escapeControl(registered.id)}: delete it with \`anchor webhooks delete ${escapeControl(registered.id)} --yes\`.\n`,
          ),
      );
    }
    throw bindError(err, options.host, options.port) ?? err;
  }

  // The handler goes in before the ready line: a script that sends SIGINT as soon as it reads
  // "Ready" must find it there, or the process dies without cleaning up.
  const stopped = new Promise<void>((resolve) => {
    const off = ctx.io.onSignal(() => {
      off();
      resolve();
    });
  });
  ctx.err(
    `Ready: listening on ${receiver.url}${options.forwardTo ? `, forwarding to ${options.forwardTo}` : ''}${registered ? `; temporary webhook ${escapeControl(registered.id)} delivers from ${options.register}` : ''}${until ? `; waiting for ${until.type}${until.match.length ? ` with ${until.match.map((m) => `${m.path.join('.')}=${m.text}`).join(', ')}` : ''} (at most ${formatMs(until.timeoutMs)})` : ''}. Ctrl-C to stop.\n`,
  );
  const inspector =
    options.inspect !== undefined
      ? await openInspector(ctx, options.inspect, () => secrets[0], options.forwardTo).catch(async (err: unknown) => {
          await receiver.close();
          throw err;
        })
      : undefined;
  if (inspector) ctx.err(`Inspector: ${inspector.url}\n`);
  if (options.readyFile !== undefined) {
    try {
      writeReadyFile(options.readyFile, `${receiver.url}\n`);
    } catch (err) {
      ctx.err(`${e.yellow('!')} could not write --ready-file ${options.readyFile}: ${(err as Error).message}\n`);
    }
  }
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    stopped.then(() => 'stopped' as const),
    ...(until
      ? [
          matched.then(() => 'matched' as const),
          new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), until.timeoutMs))),
        ]
      : []),
  ]);
  clearTimeout(timer);
  await receiver.close();
  await inspector?.close();
  record?.close();
  refusals.flush();
  if (options.readyFile !== undefined) removeReadyFile(options.readyFile, `${receiver.url}\n`);
  if (registered) {
    try {
      await registered.api.deleteWebhook(registered.id);
      ctx.err(`Deleted the temporary webhook ${escapeControl(registered.id)}.\n`);
    } catch (err) {
      throw new CliError(
        `could not delete the temporary webhook ${escapeControl(registered.id)}: ${(err as Error).message}`,
        {
          hint: `Delete it with \`anchor webhooks delete ${escapeControl(registered.id)} --yes\`; the next \`listen --register\` also offers to.`,
        },
      );
    }
  }
  if (!until) {
    ctx.err(`${e.dim('Stopped.')}\n`);
    return;
  }
  if (outcome === 'matched') {
    if (ctx.globals.json) ctx.outJson(match!.envelope);
    ctx.err(`${e.green('✓')} Got ${escapeControl(match!.event.type)} ${escapeControl(match!.event.id)}; stopped.\n`);
    return;
  }
  const saw = [...seen].map(([type, n]) => `${n} ${type}`).join(', ');
  const what = `${until.type}${until.match.length ? ` with ${until.match.map((m) => `${m.path.join('.')}=${m.text}`).join(', ')}` : ''}`;
  if (outcome === 'stopped') throw new CancelledError(`Stopped before ${what} arrived${saw ? ` (saw ${saw})` : ''}.`);
  throw new CliError(
    `waited ${formatMs(until.timeoutMs)} for ${what}; it did not arrive${saw ? ` (saw ${escapeControl(saw)})` : ' (no verified event at all)'}`,
    {
      hint: saw
        ? 'Events of other types or with other fields do not count; check --until and --match.'
        : 'Nothing verified arrived: check that the webhook points at this listener and subscribes to the type.',
    },
  );
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 100) / 10}s`;
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  await runListen(parse(input, ctx.env), ctx);
}
