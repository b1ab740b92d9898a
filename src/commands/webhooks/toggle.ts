// `anchor webhooks enable|disable <id>`: shortcuts for `update --enable/--disable`.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { printDryRun, printWebhook } from './shared/print.js';
import { resolveWebhookId } from './shared/prompts.js';
import { style } from '../../ui/format.js';
import type { disableCommand, enableCommand } from './toggle.decl.js';

export async function runToggle(id: string, enabled: boolean, dryRun: boolean, ctx: Context): Promise<void> {
  const api = await ctx.api();
  const body = { enabled };
  // A read first: a webhook already in that state is left alone, and says so.
  const current = await ctx.withSpinner(`Loading ${id}…`, () => api.getWebhook(id));
  if (current.enabled === enabled) {
    ctx.err(`Nothing to change: ${id} is already ${enabled ? 'enabled' : 'disabled'}; nothing was sent.\n`);
    // With --json, stdout is always one document: with nothing to send, the webhook as it stays.
    if (!dryRun || ctx.globals.json) printWebhook(ctx, current);
    return;
  }
  if (dryRun) {
    printDryRun(ctx, api.describe({ method: 'PATCH', path: `/v1/webhooks/${encodeURIComponent(id)}`, body }));
    return;
  }
  const updated = await ctx.withSpinner(`${enabled ? 'Enabling' : 'Disabling'} ${id}…`, () =>
    api.updateWebhook(id, body),
  );
  if (!ctx.globals.json) {
    const s = style(ctx.colorStderr);
    ctx.err(
      `${s.green('✓')} ${enabled ? 'Enabled' : 'Disabled'} webhook ${id}${enabled ? '' : ': no new events fan out to it'}\n`,
    );
  }
  printWebhook(ctx, updated);
}

export function runner(enabled: boolean) {
  return async (input: RawInput, ctx: Context): Promise<void> => {
    const { dryRun } = enabled ? input.flags<typeof enableCommand>() : input.flags<typeof disableCommand>();
    await runToggle(await resolveWebhookId(ctx, input.args[0], enabled ? 'enable' : 'disable'), enabled, dryRun, ctx);
  };
}

export const runEnable = runner(true);
export const runDisable = runner(false);
