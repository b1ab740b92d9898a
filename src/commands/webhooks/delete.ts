// `anchor webhooks delete <id>`: asks first (unless --yes); refuses without a terminal and --yes.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { CancelledError } from '../../errors.js';
import { style } from '../../ui/format.js';
import { printDryRun } from './shared/print.js';
import { resolveWebhookId } from './shared/prompts.js';
import type { deleteCommand } from './delete.decl.js';

export interface DeleteOptions {
  yes: boolean;
  dryRun: boolean;
}

export async function runDelete(id: string, options: DeleteOptions, ctx: Context): Promise<void> {
  const api = await ctx.api();
  const path = `/v1/webhooks/${encodeURIComponent(id)}`;
  if (options.dryRun) {
    printDryRun(ctx, api.describe({ method: 'DELETE', path }));
    return;
  }
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
  if (ctx.globals.json) ctx.outJson({ id, deleted: true });
  else ctx.out(`${style(ctx.colorStdout).green('✓')} Deleted webhook ${id}\n`);
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  await runDelete(await resolveWebhookId(ctx, input.args[0], 'delete'), input.flags<typeof deleteCommand>(), ctx);
}
