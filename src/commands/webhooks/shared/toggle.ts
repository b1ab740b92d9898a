// `enable` and `disable`: shortcuts for `update --enable/--disable`, left alone (and saying so) when
// the webhook is already in that state.
import type { Context } from '../../../context.js';
import type { DescribedRequest } from '../../../api/client.js';
import type { WebhookPublic } from '../../../api/schemas.js';
import { dryRun, marked } from './outcome.js';

/** The webhook as it ends up (the request, for a --dry-run); render with renderWebhookChange. */
export async function runToggle(
  id: string,
  enabled: boolean,
  dryRunOnly: boolean,
  ctx: Context,
): Promise<WebhookPublic | DescribedRequest> {
  const api = await ctx.api();
  const body = { enabled };
  // A read first: a webhook already in that state is left alone, and says so.
  const current = await ctx.withSpinner(`Loading ${id}…`, () => api.getWebhook(id));
  if (current.enabled === enabled) {
    ctx.err(`Nothing to change: ${id} is already ${enabled ? 'enabled' : 'disabled'}; nothing was sent.\n`);
    // With --json, stdout is always one document: with nothing to send, the webhook as it stays.
    return dryRunOnly ? marked(current, { kind: 'unsent' }) : current;
  }
  if (dryRunOnly)
    return dryRun(api.describe({ method: 'PATCH', path: `/v1/webhooks/${encodeURIComponent(id)}`, body }));
  const updated = await ctx.withSpinner(`${enabled ? 'Enabling' : 'Disabling'} ${id}…`, () =>
    api.updateWebhook(id, body),
  );
  return marked(updated, {
    kind: 'done',
    what: `${enabled ? 'Enabled' : 'Disabled'} webhook ${id}${enabled ? '' : ': no new events fan out to it'}`,
  });
}
