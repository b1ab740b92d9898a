// `anchor config path`: its help. The command is in handler.ts.
import { command } from '../../spec.js';

export const configPathCommand = command(
  {
    id: 'config path',
    description: 'print the config file path',
  },
  () => ({
    flags: {},
    examples: ['anchor config path'],
  }),
);
