// `anchor webhooks disable`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { dryRunFlag, EXAMPLE_ID, webhookIdArg } from '../shared/ids.js';

export const disableCommand = command(
  {
    id: 'webhooks disable',
    description: 'disable a webhook: no new events fan out to it',
  },
  () => ({
    args: [webhookIdArg],
    flags: { dryRun: dryRunFlag() },
    examples: [`anchor webhooks disable ${EXAMPLE_ID}`],
  }),
);
