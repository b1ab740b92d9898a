// `anchor webhooks list`: the project's webhooks (--json: the array; else a table, or TSV when piped).
import { handler } from '../../handler.js';
import { renderWebhookList } from '../shared/print.js';
import { listCommand } from './decl.js';

export default handler(
  listCommand,
  async (_flags, _args, ctx) => {
    const api = await ctx.api();
    const { webhooks } = await ctx.withSpinner('Loading webhooks…', () => api.listWebhooks());
    return webhooks;
  },
  renderWebhookList,
);
