// `anchor webhooks get <id>`: one webhook (never its secret: the API does not return it).
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { printWebhook } from './print.js';
import { resolveWebhookId } from './prompts.js';

export async function runGet(id: string, ctx: Context): Promise<void> {
  const api = await ctx.api();
  const webhook = await ctx.withSpinner(`Loading ${id}…`, () => api.getWebhook(id));
  printWebhook(ctx, webhook);
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  await runGet(await resolveWebhookId(ctx, input.args[0], 'get'), ctx);
}
