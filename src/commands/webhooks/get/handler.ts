// `anchor webhooks get <id>`: one webhook (never its secret: the API does not return it).
import { handler } from '../../handler.js';
import { renderWebhook } from '../shared/print.js';
import { resolveWebhookId } from '../shared/prompts.js';
import { getCommand } from './decl.js';

export default handler(
  getCommand,
  async (_flags, [given], ctx) => {
    const id = await resolveWebhookId(ctx, given, 'get');
    const api = await ctx.api();
    return ctx.withSpinner(`Loading ${id}…`, () => api.getWebhook(id));
  },
  renderWebhook,
);
