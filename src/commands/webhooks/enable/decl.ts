// `anchor webhooks enable`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { dryRunFlag, EXAMPLE_ID, webhookIdArg } from '../shared/ids.js';

export const enableCommand = command(
  {
    id: 'webhooks enable',
    description: 'enable a webhook',
  },
  () => ({
    args: [webhookIdArg],
    flags: { dryRun: dryRunFlag() },
    examples: [`anchor webhooks enable ${EXAMPLE_ID}`],
  }),
);
