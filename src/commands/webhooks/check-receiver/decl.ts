// `anchor webhooks check-receiver <url>`: its declaration. The command is in handler.ts.
import { RECEIVER_CHECK_IDS, RECEIVER_CHECKS } from '../../../core/receiver-checks.js';
import { arg, command } from '../../spec.js';
import { choiceList, readSecretFileFlag } from '../../flag-builders.js';

export const checkReceiverCommand = command(
  {
    id: 'webhooks check-receiver',
    description:
      'check your receiver against what Anchor requires of one: a table of checks, and the fix for each failure',
  },
  () => ({
    args: [arg('[url]', 'your webhook endpoint (http:// only on loopback)')],
    flags: {
      only: choiceList(
        '--only <ids>',
        'run only these checks',
        RECEIVER_CHECK_IDS,
        Object.fromEntries(RECEIVER_CHECKS.map((c) => [c.id, c.sends])) as Record<string, string>,
      ),
      secretFile: {
        ...readSecretFileFlag(),
        description:
          'read the secret to sign with from this file (- for stdin); else ANCHOR_WEBHOOK_SECRET, else the forwarding secret (`anchor webhooks listen --print-secret`)',
      },
    },
    examples: [
      'anchor webhooks check-receiver http://localhost:3000/webhooks/anchor --secret-file ./anchor-secret',
      'ANCHOR_WEBHOOK_SECRET=… anchor webhooks check-receiver https://staging.example.com/hooks --json',
      'anchor webhooks check-receiver http://localhost:3000/hooks --only raw_body,rotation',
    ],
  }),
);
