// `anchor events scenarios`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';

export const scenariosCommand = command(
  {
    id: 'events scenarios',
    description: 'the named scenarios: realistic sequences of linked events, for `events trigger --scenario`',
  },
  () => ({
    flags: {},
    examples: ['anchor events scenarios', "anchor events scenarios --json | jq -r '.[].name'"],
  }),
);
