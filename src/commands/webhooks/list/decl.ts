// `anchor webhooks list`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';

export const listCommand = command(
  {
    id: 'webhooks list',
    alias: 'ls',
    description: "list the project's webhooks",
  },
  () => ({
    flags: {},
    examples: ['anchor webhooks list', "anchor webhooks list --json | jq -r '.[] | select(.enabled) | .id'"],
  }),
);
