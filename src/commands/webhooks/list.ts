// `anchor webhooks list`: the project's webhooks.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { printWebhookList } from './print.js';

export async function runList(ctx: Context): Promise<void> {
  const api = await ctx.api();
  const { webhooks } = await ctx.withSpinner('Loading webhooks…', () => api.listWebhooks());
  await printWebhookList(ctx, webhooks);
}

export async function run(_input: RawInput, ctx: Context): Promise<void> {
  await runList(ctx);
}
