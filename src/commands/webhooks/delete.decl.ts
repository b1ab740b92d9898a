// `anchor webhooks delete` and `rotate-secret`: flags and help. The commands are in delete.ts and
// rotate-secret.ts.
import { command } from '../spec.js';
import { text } from '../flag-builders.js';
import { dryRunFlag, EXAMPLE_ID, webhookIdArg, yesFlag } from './shared/ids.js';

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

export const rotateSecretCommand = command(
  {
    id: 'webhooks rotate-secret',
    description: 'mint a new signing secret after confirmation; the old one stays valid for 24 hours',
  },
  () => ({
    args: [webhookIdArg],
    flags: {
      yes: yesFlag(),
      secretFile: text(
        '--secret-file <path>',
        'write the new secret to this new file (mode 0600) instead of printing it',
        { completes: 'files' },
      ),
      dryRun: dryRunFlag(),
    },
    examples: [`anchor webhooks rotate-secret ${EXAMPLE_ID} --yes --secret-file ./new-secret`],
  }),
);
