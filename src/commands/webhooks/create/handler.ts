// `anchor webhooks create`: validates everything with the API's rules, then creates the webhook
// and shows its signing secret once (or writes it to --secret-file).
import { UsageError } from '../../../errors.js';
import { usableColumns } from '../../../ui/format.js';
import { normalizeWebhookUrl } from '../../../core/url-rules.js';
import { allowLocalTargets, checkDescriptionFlag, checkEventsFlag, checkUrlFlag } from '../../flags.js';
import { handler } from '../../handler.js';
import { dryRun, isDryRun } from '../shared/outcome.js';
import { renderDryRun } from '../shared/print.js';
import { keepSecret, MAY_HAVE_ARRIVED, renderSecret, SecretFile } from '../shared/secret-file.js';
import { askDescription, askEvents, askUrl, confirmRequest, INTERACTIVE_FLAGS } from '../shared/prompts.js';
import { createCommand } from './decl.js';

export default handler(
  createCommand,
  async (given, _args, ctx) => {
    let options = given;
    const allowLocal = allowLocalTargets(options.allowLocalTargets, ctx.env);
    const missing = options.url === undefined || options.event.length === 0;
    const interactive = options.interactive || (missing && ctx.canPrompt);
    const prompter = interactive ? await ctx.prompter() : undefined;
    if (prompter) {
      prompter.ensureInteractive(INTERACTIVE_FLAGS);
      // What was given on the command line is checked first and not asked again.
      if (options.url !== undefined) checkUrlFlag(options.url, allowLocal);
      checkEventsFlag(options.event, '--event');
      checkDescriptionFlag(options.description);
      if (options.secretFile !== undefined) SecretFile.check(options.secretFile);
      const url = options.url ?? (await askUrl(prompter, { allowLocal }));
      const event = options.event.length
        ? options.event
        : await askEvents(prompter, usableColumns(ctx.io.stderr.columns) ?? 80);
      const description = options.description ?? (await askDescription(prompter)) ?? undefined;
      options = { ...options, url, event, description };
    }
    if (options.url === undefined || options.event.length === 0) {
      const missing = options.url === undefined ? '--url' : '--event';
      throw new UsageError(`missing ${missing}`, {
        hint: 'Usage: anchor webhooks create --url https://example.com/hooks --event task.completed [--event …]; in a terminal, run it without flags to be asked.',
      });
    }
    checkUrlFlag(options.url, allowLocal);
    checkEventsFlag(options.event, '--event');
    checkDescriptionFlag(options.description);
    const body = {
      url: normalizeWebhookUrl(options.url),
      subscribed_events: options.event,
      ...(options.description === undefined ? {} : { description: options.description }),
    };
    const api = await ctx.api();
    if (options.dryRun) {
      if (options.secretFile !== undefined) SecretFile.check(options.secretFile);
      return dryRun(api.describe({ method: 'POST', path: '/v1/webhooks', body }));
    }
    if (prompter) {
      await confirmRequest(
        ctx,
        prompter,
        'About to create this webhook:',
        {
          url: body.url,
          events: body.subscribed_events.join(', '),
          description: body.description ?? '-',
          secret: options.secretFile ? `written to ${options.secretFile} (0600)` : 'shown once, on screen',
        },
        'Create it?',
      );
    }
    // Made before the request, so a bad path fails before a webhook and its secret exist.
    const file = options.secretFile !== undefined ? SecretFile.open(options.secretFile) : undefined;
    let created;
    try {
      created = await ctx.withSpinner('Creating webhook…', () => api.createWebhook(body), MAY_HAVE_ARRIVED);
    } catch (e) {
      file?.abandon();
      throw e;
    }
    return keepSecret(ctx, created, 'Created', file);
  },
  (result, ctx) => (isDryRun(result) ? renderDryRun(result, ctx) : renderSecret(result, 'Created', ctx)),
);
