// `update -i`: the create prompts with the current values filled in; only what changed is sent.
import type { Context } from '../../../context.js';
import type { DescribedRequest } from '../../../api/client.js';
import type { UpdateRequest, WebhookPublic } from '../../../api/schemas.js';
import { normalizeWebhookUrl } from '../../../core/url-rules.js';
import { usableColumns } from '../../../ui/format.js';
import { allowLocalTargets } from '../../flags.js';
import { dryRun } from '../shared/outcome.js';
import { askDescription, askEvents, askUrl, confirmRequest } from '../shared/prompts.js';
import { buildUpdate, type UpdateOptions } from './changes.js';

/** The webhook as updated, the request of a --dry-run, or undefined when nothing changed (nothing is printed). */
export async function runInteractiveUpdate(
  id: string,
  options: UpdateOptions,
  ctx: Context,
): Promise<WebhookPublic | DescribedRequest | undefined> {
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
    return undefined;
  }
  if (options.dryRun)
    return dryRun(api.describe({ method: 'PATCH', path: `/v1/webhooks/${encodeURIComponent(id)}`, body }));
  await confirmRequest(ctx, p, `About to update ${id}:`, changes, 'Apply these changes?');
  return ctx.withSpinner(`Updating ${id}…`, () => api.updateWebhook(id, body));
}
