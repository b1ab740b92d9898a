// `anchor events list`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';

export const eventsListCommand = command(
  {
    id: 'events list',
    description: 'every event type, grouped by entity, with when it fires',
  },
  () => ({
    flags: {},
    examples: ['anchor events list', "anchor events list --json | jq -r '.[].type'"],
  }),
);
