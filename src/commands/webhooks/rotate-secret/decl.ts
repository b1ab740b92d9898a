// `anchor webhooks rotate-secret`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { text } from '../../flag-builders.js';
import { dryRunFlag, EXAMPLE_ID, webhookIdArg, yesFlag } from '../shared/ids.js';

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
