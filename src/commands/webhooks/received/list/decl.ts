// `anchor webhooks received` (`received list`): its declaration. The command is in handler.ts.
import { command } from '../../../spec.js';
import { bool, int, text } from '../../../flag-builders.js';
import { since } from '../../../value-flags.js';

export const receivedListCommand = command(
  {
    id: 'webhooks received list',
    description: 'the requests `listen` recorded, newest first: id, time, event, answer, app status, outcome',
  },
  () => ({
    flags: {
      since: since('--since <dur|time>', 'only those received since then: 30m, 2h, 1d, or an ISO time'),
      type: text('--type <type>', 'only this event type', { completes: 'event-types' }),
      refused: bool('--refused', 'only the refused requests'),
      failed: bool('--failed', 'only those your app did not take: it answered other than 2xx, or was not reached'),
      limit: int('--limit <n>', 'at most this many (default: 50)', { min: 1, max: 1000 }),
    },
    examples: [
      'anchor webhooks received',
      'anchor webhooks received --refused --since 1h --json',
      'anchor webhooks received --failed',
    ],
  }),
);
