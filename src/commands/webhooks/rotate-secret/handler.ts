// `anchor webhooks rotate-secret <id>`: mints a new signing secret after confirmation and shows it
// once; the old one keeps signing for 24 hours.
import { CancelledError } from '../../../errors.js';
import { handler } from '../../handler.js';
import { dryRun, isDryRun } from '../shared/outcome.js';
import { renderDryRun } from '../shared/print.js';
import { resolveWebhookId } from '../shared/prompts.js';
import { keepSecret, MAY_HAVE_ARRIVED, renderSecret, SecretFile } from '../shared/secret-file.js';
import { rotateSecretCommand } from './decl.js';

export default handler(
  rotateSecretCommand,
  async (options, [given], ctx) => {
    const id = await resolveWebhookId(ctx, given, 'rotate-secret');
    const api = await ctx.api();
    const path = `/v1/webhooks/${encodeURIComponent(id)}/rotate-secret`;
    if (options.dryRun) {
      if (options.secretFile !== undefined) SecretFile.check(options.secretFile);
      return dryRun(api.describe({ method: 'POST', path }));
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
    return keepSecret(ctx, rotated, 'Rotated the secret of', file);
  },
  (result, ctx) => (isDryRun(result) ? renderDryRun(result, ctx) : renderSecret(result, 'Rotated the secret of', ctx)),
);
