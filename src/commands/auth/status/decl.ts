// `anchor auth status`: its help. The command is in handler.ts.
import { command } from '../../spec.js';

export const statusCommand = command(
  {
    id: 'auth status',
    description: 'show the profile, API URL and key in use, and whether the API accepts the key',
  },
  () => ({
    flags: {},
    examples: ['anchor auth status', 'anchor auth status --profile staging --json'],
  }),
);
