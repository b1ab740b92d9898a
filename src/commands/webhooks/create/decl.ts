// `anchor webhooks create`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { bool, list, text } from '../../flag-builders.js';
import { dryRunFlag } from '../shared/ids.js';

export const createCommand = command(
  {
    id: 'webhooks create',
    description: 'create a webhook; its signing secret is shown once (or written to --secret-file)',
  },
  () => ({
    flags: {
      url: text('--url <url>', 'https:// endpoint Anchor will POST events to'),
      event: list('--event <type>', 'event type to subscribe to; repeat it or give a comma list', 'event-types'),
      description: text('--description <text>', 'what the webhook is for (at most 256 characters)'),
      secretFile: text('--secret-file <path>', 'write the secret to this new file (mode 0600) instead of printing it', {
        completes: 'files',
        nonEmpty: 'give a file path',
      }),
      allowLocalTargets: bool(
        '--allow-local-targets',
        'allow http:// and local URLs (for the emulator; env ANCHOR_ALLOW_LOCAL_TARGETS=1)',
      ),
      interactive: bool(
        '-i, --interactive',
        'ask for what the flags do not give (the default in a terminal without --url/--event)',
      ),
      dryRun: dryRunFlag(),
    },
    examples: [
      'anchor webhooks create          # in a terminal: asks for the URL, events and description',
      'anchor webhooks create --url https://example.com/hooks --event task.completed --event task.failed',
      'anchor webhooks create --url https://example.com/hooks --event task.completed,session.failed --description "prod alerts"',
      'anchor webhooks create --url https://example.com/hooks --event task.completed --secret-file ./anchor-secret --json',
      'anchor webhooks create --url https://example.com/hooks --event task.completed --dry-run',
    ],
  }),
);
