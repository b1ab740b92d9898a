// `anchor doctor`: its declaration. The checks are in checks-*.ts, their order and the report in
// handler.ts, the text for people in render.ts.
import { command } from '../spec.js';
import { readSecretFileFlag, text } from '../flag-builders.js';

export const doctorCommand = command(
  {
    id: 'doctor',
    description:
      'why nothing arrives: checks the key, the API, the clock, a webhook, its deliveries, your secret, a local listener, its tunnel and the app behind it, each with its fix',
  },
  () => ({
    flags: {
      webhook: text('--webhook <id>', 'also check this webhook: its URL from here, its state, its delivery log', {
        completes: 'webhook-ids',
        nonEmpty: 'give a webhook id (wh_…); list them with `anchor webhooks list`',
      }),
      event: {
        ...text('--event <type>', 'the event type you expect: the webhook must be subscribed to it', {
          completes: 'event-types',
        }),
        requires: { webhook: 'it is checked against that webhook' },
      },
      secretFile: {
        ...readSecretFileFlag(),
        description:
          'the secret your app verifies with (- for stdin), checked against the newest recorded delivery; else ANCHOR_WEBHOOK_SECRET, else the forwarding secret',
      },
    },
    examples: [
      'anchor doctor',
      'anchor doctor --webhook wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --event task.completed',
      'anchor doctor --webhook wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --secret-file ./anchor-secret --json',
    ],
  }),
);
