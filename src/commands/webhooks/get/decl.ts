// `anchor webhooks get`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { EXAMPLE_ID, webhookIdArg } from '../shared/ids.js';

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
