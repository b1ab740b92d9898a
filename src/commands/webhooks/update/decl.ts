// `anchor webhooks update`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { bool, list, listOrUnset, text, textOrOff } from '../../flag-builders.js';
import { dryRunFlag, EXAMPLE_ID, webhookIdArg } from '../shared/ids.js';

export const updateCommand = command(
  {
    id: 'webhooks update',
    description: 'change a webhook; only the fields given are sent',
  },
  () => ({
    args: [webhookIdArg],
    flags: {
      url: text('--url <url>', 'new https:// endpoint'),
      description: textOrOff('--description <text>', 'new description', 'clear the description'),
      event: listOrUnset('--event <type>', 'replace the subscribed events (repeat, or a comma list)', 'event-types'),
      addEvent: list('--add-event <type>', 'subscribe to more event types', 'event-types'),
      removeEvent: list('--remove-event <type>', 'unsubscribe from event types', 'event-types'),
      enable: bool('--enable', 'enable the webhook'),
      disable: bool('--disable', 'disable the webhook: no new events fan out to it'),
      allowLocalTargets: bool('--allow-local-targets', 'allow http:// and local URLs (for the emulator)'),
      interactive: bool(
        '-i, --interactive',
        'ask for each field with the current values filled in; only changes are sent',
      ),
      dryRun: dryRunFlag(),
    },
    examples: [
      `anchor webhooks update ${EXAMPLE_ID} -i`,
      `anchor webhooks update ${EXAMPLE_ID} --add-event task.failed --remove-event task.cancelled`,
      `anchor webhooks update ${EXAMPLE_ID} --url https://new.example.com/hooks --no-description`,
    ],
  }),
);
