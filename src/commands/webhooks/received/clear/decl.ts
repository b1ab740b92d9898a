// `anchor webhooks received clear`: its declaration. The command is in handler.ts.
import { command } from '../../../spec.js';
import { bool } from '../../../flag-builders.js';
import { since } from '../../../value-flags.js';

export const receivedClearCommand = command(
  {
    id: 'webhooks received clear',
    description: 'remove recorded requests (all, the refused ones, or those older than a time), after a confirmation',
  },
  () => ({
    flags: {
      refused: bool('--refused', 'only the refused requests'),
      before: since('--before <dur|time>', 'only those received before then: 30m, 2h, 1d (ago), or an ISO time'),
      yes: bool('--yes', 'do not ask for confirmation (needed without a terminal)'),
    },
    examples: [
      'anchor webhooks received clear',
      'anchor webhooks received clear --refused --yes',
      'anchor webhooks received clear --before 1d --yes --json',
    ],
  }),
);
