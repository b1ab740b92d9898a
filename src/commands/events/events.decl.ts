// `anchor events list|show|trigger`: flags and help. The commands are in list.ts, show.ts, trigger.ts.
import { command, readSecretFileFlag, text, type ArgSpec } from '../spec.js';

const typeArg: ArgSpec = { name: '[type]', description: 'event type, e.g. task.completed', completes: 'event-types' };

export const eventsListCommand = command({
  id: 'events list',
  description: 'every event type, grouped by entity, with when it fires',
  flags: {},
  examples: ['anchor events list', "anchor events list --json | jq -r '.[].type'"],
});

export const eventsShowCommand = command({
  id: 'events show',
  description: 'one event type: when it fires, its data fields and an example envelope',
  args: [typeArg],
  flags: {},
  examples: ['anchor events show task.completed', 'anchor events show session.recording.ready --json | jq .example'],
});

export const triggerCommand = command({
  id: 'events trigger',
  description: 'sign an example (or given) event exactly as Anchor does and POST it to your local endpoint',
  args: [typeArg],
  flags: {
    forwardTo: text('--forward-to <url>', 'where to POST it, e.g. http://localhost:3000/webhooks/anchor'),
    payload: text('--payload <file|->', 'send this body instead of the example envelope', { completes: 'files' }),
    secretFile: readSecretFileFlag(),
  },
  examples: [
    'anchor events trigger task.failed --forward-to http://localhost:3000/webhooks/anchor --secret-file ./anchor-secret',
  ],
});
