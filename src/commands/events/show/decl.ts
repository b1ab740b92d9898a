// `anchor events show`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { typeArg } from '../shared/type-arg.js';

export const eventsShowCommand = command(
  {
    id: 'events show',
    description: 'one event type: when it fires, its data fields and an example envelope',
  },
  () => ({
    args: [typeArg],
    flags: {},
    examples: ['anchor events show task.completed', 'anchor events show session.recording.ready --json | jq .example'],
  }),
);
