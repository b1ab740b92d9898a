// `anchor webhooks test` and `deliveries`: flags and help. The commands are in test.ts and
// deliveries.ts.
import { DELIVERY_FILTER_STATUSES } from '../../core/delivery-status.js';
import { bool, choice, command, custom, FlagError, int, num, text } from '../spec.js';
import { EXAMPLE_ID, webhookIdArg } from './ids.js';

export const testCommand = command(
  {
    id: 'webhooks test',
    description: "send a test event through Anchor's real signing and retry path",
  },
  () => ({
    args: [webhookIdArg],
    flags: {
      event: text('--event <type>', 'the event type to send (in a terminal, asked when missing)', {
        completes: 'event-types',
      }),
      wait: bool('--wait', 'follow the delivery log until the delivery ends; exit 6 unless it succeeded'),
      waitTimeout: custom(
        '--wait-timeout <seconds>',
        'how long --wait waits (default: 60); exit 1 when it runs out',
        (v) => {
          const seconds = Number(v);
          if (v.trim() === '' || !(seconds > 0) || seconds > 86_400)
            throw new FlagError('give a number of seconds from 1 to 86400');
          return seconds;
        },
      ),
    },
    examples: [
      `anchor webhooks test ${EXAMPLE_ID} --event task.completed`,
      `anchor webhooks test ${EXAMPLE_ID} --event task.failed --wait --wait-timeout 120 --json`,
    ],
  }),
);

export const deliveriesCommand = command(
  {
    id: 'webhooks deliveries',
    description: 'the delivery log of a webhook: every attempt, kept 7 days',
  },
  () => ({
    args: [webhookIdArg],
    flags: {
      status: choice('--status <status>', 'only deliveries with this status', DELIVERY_FILTER_STATUSES),
      event: text('--event <type>', 'only this event type', { completes: 'event-types' }),
      since: text('--since <time>', 'scheduled at or after: ISO time or relative (30m, 1h, 2d)'),
      until: text('--until <time>', 'scheduled at or before: ISO time or relative'),
      limit: int('--limit <n>', 'rows per page, 1-100 (default: 25)', { min: 1, max: 100 }),
      offset: int('--offset <n>', 'rows to skip', { min: 0 }),
      all: bool('--all', 'fetch every page'),
      payload: bool('--payload', "include each delivery's event data"),
      follow: bool('--follow', 'keep printing new and changed rows until Ctrl-C (NDJSON with --json)'),
      interval: num('--interval <seconds>', 'how often --follow polls (default: 2)', {
        min: 0.2,
        max: 3600,
        notANumber: 'must be a number of seconds',
      }),
    },
    examples: [
      `anchor webhooks deliveries ${EXAMPLE_ID} --status dead --since 1d`,
      `anchor webhooks deliveries ${EXAMPLE_ID} --all --json | jq '.events | length'`,
      `anchor webhooks deliveries ${EXAMPLE_ID} --follow`,
    ],
  }),
);
