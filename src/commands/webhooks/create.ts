// `anchor webhooks create`: validates everything with the API's rules, then creates the webhook
// and shows its signing secret once (or writes it to --secret-file).
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { UsageError } from '../../errors.js';
import type { FlagValues } from '../spec.js';
import type { createCommand } from './create.decl.js';
import { usableColumns } from '../../ui/format.js';
import { normalizeWebhookUrl } from '../../core/url-rules.js';
import { allowLocalTargets, checkDescriptionFlag, checkEventsFlag, checkUrlFlag } from '../flags.js';
import { printDryRun } from './shared/print.js';
import { MAY_HAVE_ARRIVED, SecretFile, showSecret } from './shared/secret-file.js';
import { askDescription, askEvents, askUrl, confirmRequest, INTERACTIVE_FLAGS } from './shared/prompts.js';

export type CreateOptions = FlagValues<typeof createCommand>;

export function parse(input: RawInput): CreateOptions {
  return input.flags<typeof createCommand>();
}

export async function runCreate(given: CreateOptions, ctx: Context): Promise<void> {
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
    printDryRun(ctx, api.describe({ method: 'POST', path: '/v1/webhooks', body }));
    return;
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
  const file = options.secretFile !== undefined ? SecretFile.open(options.secretFile) : undefined;
  let created;
  try {
    created = await ctx.withSpinner('Creating webhook…', () => api.createWebhook(body), MAY_HAVE_ARRIVED);
  } catch (e) {
    file?.abandon();
    throw e;
  }
  showSecret(ctx, created, 'Created', file);
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  await runCreate(parse(input), ctx);
}
