// `anchor webhooks deliveries`: its declaration. The command is in handler.ts.
import { DELIVERY_FILTER_STATUSES } from '../../../core/delivery-status.js';
import { command } from '../../spec.js';
import { bool, choice, int, text } from '../../flag-builders.js';
import { duration, since } from '../../value-flags.js';
import { EXAMPLE_ID, webhookIdArg } from '../shared/ids.js';

export const deliveriesCommand = command(
  {
    id: 'webhooks deliveries',
    description: 'the delivery log of a webhook: every attempt, kept 7 days',
  },
  () => {
    const interval = duration('--interval <duration>', 'how often --follow polls, e.g. 2, 2s or 500ms (default: 2s)', {
      bare: 's',
      min: 200,
      max: 3_600_000,
      examples: '2, 2s or 500ms',
    });
    return {
      args: [webhookIdArg],
      flags: {
        status: choice('--status <status>', 'only deliveries with this status', DELIVERY_FILTER_STATUSES),
        event: text('--event <type>', 'only this event type', { completes: 'event-types' }),
        since: since('--since <time>', 'scheduled at or after: ISO time or relative (30m, 1h, 2d)'),
        until: since('--until <time>', 'scheduled at or before: ISO time or relative'),
        limit: int('--limit <n>', 'rows per page, 1-100 (default: 25)', { min: 1, max: 100 }),
        offset: int('--offset <n>', 'rows to skip', { min: 0 }),
        all: {
          ...bool('--all', 'fetch every page'),
          conflicts: { offset: 'starts from the first row' },
        },
        payload: bool('--payload', "include each delivery's event data"),
        follow: {
          ...bool('--follow', 'keep printing new and changed rows until Ctrl-C (NDJSON with --json)'),
          conflicts: { all: '', offset: '', until: '' },
        },
        // The default is in the help text, not commander's.
        interval: { ...interval, parse: (raw: unknown) => interval.parse(raw) ?? 2000 },
      },
      examples: [
        `anchor webhooks deliveries ${EXAMPLE_ID} --status dead --since 1d`,
        `anchor webhooks deliveries ${EXAMPLE_ID} --all --json | jq '.events | length'`,
        `anchor webhooks deliveries ${EXAMPLE_ID} --follow`,
      ],
    };
  },
);
