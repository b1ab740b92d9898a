// `anchor webhooks update <id>`: a partial update; only the fields given are sent.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { UsageError } from '../../errors.js';
import type { FlagValues } from '../spec.js';
import type { updateCommand } from './update.decl.js';
import { style, usableColumns } from '../../ui/format.js';
import type { UpdateRequest, WebhookPublic } from '../../api/schemas.js';
import { normalizeWebhookUrl } from '../../core/url-rules.js';
import { allowLocalTargets, checkDescriptionFlag, checkEventsFlag, checkUrlFlag } from '../flags.js';
import { printDryRun, printWebhook } from './shared/print.js';
import { askDescription, askEvents, askUrl, confirmRequest, resolveWebhookId } from './shared/prompts.js';

export type UpdateOptions = FlagValues<typeof updateCommand>;

export function parse(input: RawInput): UpdateOptions {
  return input.flags<typeof updateCommand>();
}

/** The PATCH body the flags ask for; `current` is needed only for --add-event/--remove-event. */
export function buildUpdate(options: UpdateOptions, current?: readonly string[]): UpdateRequest {
  const body: UpdateRequest = {};
  if (options.url !== undefined) body.url = normalizeWebhookUrl(options.url);
  if (options.description !== undefined) body.description = options.description === false ? null : options.description;
  if (options.event !== undefined) body.subscribed_events = options.event;
  if (options.addEvent.length || options.removeEvent.length) {
    const base = [...(current ?? [])];
    const next = [...base, ...options.addEvent.filter((e) => !base.includes(e))].filter(
      (e) => !options.removeEvent.includes(e),
    );
    if (next.length === 0) {
      throw new UsageError('invalid --remove-event: a webhook must keep at least one event type', {
        hint: 'Disable it instead with `anchor webhooks disable <id>`, or delete it.',
      });
    }
    body.subscribed_events = next;
  }
  if (options.enable) body.enabled = true;
  if (options.disable) body.enabled = false;
  return body;
}

export function checkUpdateOptions(
  options: UpdateOptions,
  env: Record<string, string | undefined>,
  interactive = false,
): void {
  if (options.enable && options.disable) throw new UsageError('--enable and --disable cannot be used together');
  if (options.event !== undefined && (options.addEvent.length || options.removeEvent.length)) {
    throw new UsageError('--event replaces the whole set; it cannot be combined with --add-event or --remove-event');
  }
  if (options.event !== undefined && options.event.length === 0)
    throw new UsageError('invalid --event: give at least one event type');
  if (options.url !== undefined) checkUrlFlag(options.url, allowLocalTargets(options.allowLocalTargets, env));
  if (options.event) checkEventsFlag(options.event, '--event');
  checkEventsFlag(options.addEvent, '--add-event');
  checkEventsFlag(options.removeEvent, '--remove-event');
  if (typeof options.description === 'string') checkDescriptionFlag(options.description);
  const nothing =
    options.url === undefined &&
    options.description === undefined &&
    options.event === undefined &&
    !options.addEvent.length &&
    !options.removeEvent.length &&
    !options.enable &&
    !options.disable;
  if (nothing && !interactive) {
    throw new UsageError('nothing to update', {
      hint: 'Pass at least one of --url, --description, --no-description, --event, --add-event, --remove-event, --enable, --disable.',
    });
  }
}

export async function runUpdate(id: string, options: UpdateOptions, ctx: Context): Promise<void> {
  checkUpdateOptions(options, ctx.env, options.interactive);
  const api = await ctx.api();
  if (options.interactive) {
    await runInteractiveUpdate(id, options, ctx);
    return;
  }
  // The current webhook first (a read, which changes nothing, even with --dry-run): an edit of the
  // event set needs it, and only what differs from it is sent.
  const current = await ctx.withSpinner(`Loading ${id}…`, () => api.getWebhook(id));
  const wanted = buildUpdate(options, current.subscribed_events);
  const body = changesFrom(wanted, current);
  const path = `/v1/webhooks/${encodeURIComponent(id)}`;
  if (Object.keys(body).length === 0) {
    ctx.err(
      `Nothing to change: ${id} already has ${Object.keys(wanted)
        .map((k) => (k === 'subscribed_events' ? 'those events' : `that ${k}`))
        .join(', ')}; nothing was sent.\n`,
    );
    // With --json, stdout is always one document: with nothing to send, the webhook as it stays.
    if (!options.dryRun || ctx.globals.json) printWebhook(ctx, current);
    return;
  }
  if (options.dryRun) {
    printDryRun(ctx, api.describe({ method: 'PATCH', path, body }));
    return;
  }
  const updated = await ctx.withSpinner(`Updating ${id}…`, () => api.updateWebhook(id, body));
  if (!ctx.globals.json)
    ctx.err(
      `${style(ctx.colorStderr).green('✓')} Updated webhook ${id}: ${Object.keys(body)
        .map((k) => (k === 'subscribed_events' ? 'events' : k))
        .join(', ')}\n`,
    );
  printWebhook(ctx, updated);
}

/** The fields of `wanted` that differ from the webhook as it is (events compared as sets). */
export function changesFrom(wanted: UpdateRequest, w: WebhookPublic): UpdateRequest {
  const body: UpdateRequest = {};
  if (wanted.url !== undefined && wanted.url !== w.url) body.url = wanted.url;
  if (wanted.description !== undefined && wanted.description !== w.description) body.description = wanted.description;
  if (
    wanted.subscribed_events !== undefined &&
    [...new Set(wanted.subscribed_events)].sort().join(',') !== [...w.subscribed_events].sort().join(',')
  ) {
    body.subscribed_events = wanted.subscribed_events;
  }
  if (wanted.enabled !== undefined && wanted.enabled !== w.enabled) body.enabled = wanted.enabled;
  return body;
}

/** `update -i`: the create prompts with the current values filled in; only what changed is sent. */
async function runInteractiveUpdate(id: string, options: UpdateOptions, ctx: Context): Promise<void> {
  const p = await ctx.prompter();
  p.ensureInteractive('--url, --event or --description');
  const api = await ctx.api();
  const w = await ctx.withSpinner(`Loading ${id}…`, () => api.getWebhook(id));
  const allowLocal = allowLocalTargets(options.allowLocalTargets, ctx.env);
  const flagged = buildUpdate(options, w.subscribed_events);
  const url = normalizeWebhookUrl(flagged.url ?? (await askUrl(p, { current: w.url, allowLocal })));
  const events =
    flagged.subscribed_events ?? (await askEvents(p, usableColumns(ctx.io.stderr.columns) ?? 80, w.subscribed_events));
  const description = flagged.description !== undefined ? flagged.description : await askDescription(p, w.description);
  const enabled =
    flagged.enabled ?? (await p.confirm('Deliver events to it (enabled)?', '--enable or --disable', w.enabled));

  const body: UpdateRequest = {};
  const changes: Record<string, string> = {};
  if (url !== w.url) {
    body.url = url;
    changes.url = `${w.url} → ${url}`;
  }
  if (events.join(',') !== w.subscribed_events.join(',')) {
    body.subscribed_events = events;
    changes.events = `${w.subscribed_events.join(', ')} → ${events.join(', ')}`;
  }
  if (description !== w.description) {
    body.description = description;
    changes.description = `${w.description ?? '-'} → ${description ?? '-'}`;
  }
  if (enabled !== w.enabled) {
    body.enabled = enabled;
    changes.enabled = `${w.enabled} → ${enabled}`;
  }
  if (Object.keys(body).length === 0) {
    ctx.err('Nothing changed; nothing was sent.\n');
    return;
  }
  if (options.dryRun) {
    printDryRun(ctx, api.describe({ method: 'PATCH', path: `/v1/webhooks/${encodeURIComponent(id)}`, body }));
    return;
  }
  await confirmRequest(ctx, p, `About to update ${id}:`, changes, 'Apply these changes?');
  const updated = await ctx.withSpinner(`Updating ${id}…`, () => api.updateWebhook(id, body));
  printWebhook(ctx, updated);
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const options = parse(input);
  checkUpdateOptions(options, ctx.env, options.interactive);
  await runUpdate(await resolveWebhookId(ctx, input.args[0], 'update'), options, ctx);
}
