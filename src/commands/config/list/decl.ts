// `anchor config list`: its help. The command is in handler.ts.
import { command } from '../../spec.js';

export const configListCommand = command(
  {
    id: 'config list',
    description: 'list the settings of the profile',
  },
  () => ({
    flags: {},
    examples: ['anchor config list', 'anchor config list --profile staging --json'],
  }),
);
