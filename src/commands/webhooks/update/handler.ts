// `anchor webhooks update <id>`: a partial update; only the fields given (and different from the
// webhook as it is) are sent.
import { handler } from '../../handler.js';
import { dryRun, marked } from '../shared/outcome.js';
import { renderWebhookChange } from '../shared/print.js';
import { resolveWebhookId } from '../shared/prompts.js';
import { buildUpdate, changesFrom, checkUpdateOptions } from './changes.js';
import { runInteractiveUpdate } from './interactive.js';
import { updateCommand } from './decl.js';

export default handler(
  updateCommand,
  async (options, [given], ctx) => {
    // Before the pick list: a bad flag is refused before anything is asked or read.
    checkUpdateOptions(options, ctx.env, options.interactive);
    const id = await resolveWebhookId(ctx, given, 'update');
    const api = await ctx.api();
    if (options.interactive) return runInteractiveUpdate(id, options, ctx);
    // The current webhook first (a read, which changes nothing, even with --dry-run): an edit of the
    // event set needs it, and only what differs from it is sent.
    const current = await ctx.withSpinner(`Loading ${id}…`, () => api.getWebhook(id));
    const wanted = buildUpdate(options, current.subscribed_events);
    const body = changesFrom(wanted, current);
    if (Object.keys(body).length === 0) {
      ctx.err(
        `Nothing to change: ${id} already has ${Object.keys(wanted)
          .map((k) => (k === 'subscribed_events' ? 'those events' : `that ${k}`))
          .join(', ')}; nothing was sent.\n`,
      );
      // With --json, stdout is always one document: with nothing to send, the webhook as it stays.
      return options.dryRun ? marked(current, { kind: 'unsent' }) : current;
    }
    if (options.dryRun)
      return dryRun(api.describe({ method: 'PATCH', path: `/v1/webhooks/${encodeURIComponent(id)}`, body }));
    const updated = await ctx.withSpinner(`Updating ${id}…`, () => api.updateWebhook(id, body));
    const fields = Object.keys(body).map((k) => (k === 'subscribed_events' ? 'events' : k));
    return marked(updated, { kind: 'done', what: `Updated webhook ${id}: ${fields.join(', ')}` });
  },
  renderWebhookChange,
);
