// `anchor webhooks delete`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { dryRunFlag, EXAMPLE_ID, webhookIdArg, yesFlag } from '../shared/ids.js';

export const deleteCommand = command(
  {
    id: 'webhooks delete',
    alias: 'rm',
    description: 'delete a webhook after confirmation; its delivery log stays readable for 7 days',
  },
  () => ({
    args: [webhookIdArg],
    flags: { yes: yesFlag(), dryRun: dryRunFlag() },
    examples: [`anchor webhooks delete ${EXAMPLE_ID}`, `anchor webhooks delete ${EXAMPLE_ID} --yes --json`],
  }),
);
