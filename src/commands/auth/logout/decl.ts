// `anchor auth logout`: its help. The command is in handler.ts.
import { command } from '../../spec.js';

export const logoutCommand = command(
  {
    id: 'auth logout',
    description: 'forget the stored key of the profile',
  },
  () => ({
    flags: {},
    examples: ['anchor auth logout', 'anchor auth logout --profile staging'],
  }),
);
