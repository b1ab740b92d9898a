// `anchor webhooks rotate-secret <id>`: mints a new signing secret after confirmation and shows it
// once; the old one keeps signing for 24 hours.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { CancelledError } from '../../errors.js';
import { MAY_HAVE_ARRIVED, SecretFile, showSecret } from './shared/secret-file.js';
import { printDryRun } from './shared/print.js';
import { resolveWebhookId } from './shared/prompts.js';
import type { rotateSecretCommand } from './delete.decl.js';

export interface RotateOptions {
  yes: boolean;
  dryRun: boolean;
  secretFile: string | undefined;
}

export async function runRotate(id: string, options: RotateOptions, ctx: Context): Promise<void> {
  const api = await ctx.api();
  const path = `/v1/webhooks/${encodeURIComponent(id)}/rotate-secret`;
  if (options.dryRun) {
    if (options.secretFile !== undefined) SecretFile.check(options.secretFile);
    printDryRun(ctx, api.describe({ method: 'POST', path }));
    return;
  }
  if (options.secretFile !== undefined) SecretFile.check(options.secretFile);
  if (!options.yes) {
    const prompter = await ctx.prompter();
    prompter.ensureInteractive('--yes');
    const w = await ctx.withSpinner(`Loading ${id}…`, () => api.getWebhook(id));
    const ok = await prompter.confirm(
      `Rotate the signing secret of ${id} (${w.url})? A new secret is minted; the old one keeps working for 24 hours.`,
      '--yes',
    );
    if (!ok) throw new CancelledError(`Not rotated: the secret of ${id} is unchanged.`);
  }
  const file = options.secretFile !== undefined ? SecretFile.open(options.secretFile) : undefined;
  let rotated;
  try {
    rotated = await ctx.withSpinner(`Rotating the secret of ${id}…`, () => api.rotateSecret(id), MAY_HAVE_ARRIVED);
  } catch (e) {
    file?.abandon();
    throw e;
  }
  showSecret(ctx, rotated, 'Rotated the secret of', file);
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const options = input.flags<typeof rotateSecretCommand>();
  await runRotate(await resolveWebhookId(ctx, input.args[0], 'rotate-secret'), options, ctx);
}
