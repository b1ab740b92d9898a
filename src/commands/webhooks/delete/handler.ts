// `anchor webhooks delete <id>`: asks first (unless --yes); refuses without a terminal and --yes.
import { CancelledError } from '../../../errors.js';
import { style } from '../../../ui/format.js';
import { handler } from '../../handler.js';
import { dryRun, isDryRun } from '../shared/outcome.js';
import { renderDryRun } from '../shared/print.js';
import { resolveWebhookId } from '../shared/prompts.js';
import { deleteCommand } from './decl.js';

export default handler(
  deleteCommand,
  async (options, [given], ctx) => {
    const id = await resolveWebhookId(ctx, given, 'delete');
    const api = await ctx.api();
    const path = `/v1/webhooks/${encodeURIComponent(id)}`;
    if (options.dryRun) return dryRun(api.describe({ method: 'DELETE', path }));
    if (!options.yes) {
      const prompter = await ctx.prompter();
      prompter.ensureInteractive('--yes');
      // Show what is about to go (and fail with 404 before asking about a webhook that is not there).
      const w = await ctx.withSpinner(`Loading ${id}…`, () => api.getWebhook(id));
      const ok = await prompter.confirm(
        `Delete webhook ${id} (${w.url})? Deliveries to it stop at once; its delivery log stays readable for 7 days.`,
        '--yes',
      );
      if (!ok) throw new CancelledError(`Not deleted: ${id} is unchanged.`);
    }
    await ctx.withSpinner(`Deleting ${id}…`, () => api.deleteWebhook(id));
    return { id, deleted: true };
  },
  (result, ctx) => {
    if (isDryRun(result)) renderDryRun(result, ctx);
    else ctx.out(`${style(ctx.colorStdout).green('✓')} Deleted webhook ${result.id}\n`);
  },
);
