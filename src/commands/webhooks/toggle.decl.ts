// `anchor webhooks enable|disable`: flags and help. The commands are in toggle.ts.
import { command } from '../spec.js';
import { dryRunFlag, EXAMPLE_ID, webhookIdArg } from './shared/ids.js';

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
