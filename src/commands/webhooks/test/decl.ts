// `anchor webhooks test`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { bool, text } from '../../flag-builders.js';
import { duration } from '../../value-flags.js';
import { EXAMPLE_ID, webhookIdArg } from '../shared/ids.js';

export const testCommand = command(
  {
    id: 'webhooks test',
    description: "send a test event through Anchor's real signing and retry path",
  },
  () => {
    const waitTimeout = duration(
      '--wait-timeout <duration>',
      'how long --wait waits, e.g. 90, 90s or 5m (default: 60s); exit 1 when it runs out',
      {
        bare: 's',
        max: 86_400_000,
        examples: '90, 90s or 5m',
      },
    );
    return {
      args: [webhookIdArg],
      flags: {
        event: text('--event <type>', 'the event type to send (in a terminal, asked when missing)', {
          completes: 'event-types',
        }),
        wait: bool('--wait', 'follow the delivery log until the delivery ends; exit 6 unless it succeeded'),
        // The default is in the help text, not commander's: --wait-timeout alone is what --wait needs.
        waitTimeout: {
          ...waitTimeout,
          parse: (raw: unknown) => waitTimeout.parse(raw) ?? 60_000,
          requires: { wait: '' },
        },
      },
      examples: [
        `anchor webhooks test ${EXAMPLE_ID} --event task.completed`,
        `anchor webhooks test ${EXAMPLE_ID} --event task.failed --wait --wait-timeout 2m --json`,
      ],
    };
  },
);
