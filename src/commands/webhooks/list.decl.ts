// `anchor webhooks list` and `get`: help. The commands are in list.ts and get.ts.
import { command } from '../spec.js';
import { EXAMPLE_ID, webhookIdArg } from './ids.js';

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

export const getCommand = command(
  {
    id: 'webhooks get',
    description: 'show one webhook',
  },
  () => ({
    args: [webhookIdArg],
    flags: {},
    examples: [`anchor webhooks get ${EXAMPLE_ID} --json`],
  }),
);
