// What a model reads for the flags the tools pass on, where the flag's help is written for a person
// at a terminal: it names other flags or environment variables (the tool's arguments have other
// names), or the tool gives the flag another meaning (`confirm` is `--yes`). Keyed by command id
// and flag key, so a renamed flag fails tsc here. A declaration's own `forModel` wins over this.
import type { CommandId, SpecOf } from '../commands/tree.js';

type ModelText = { readonly [Id in CommandId]?: { readonly [K in keyof SpecOf<Id>['flags']]?: string } };

const CONFIRM = 'Must be true to act. Without it, the tool only says what would happen.';

export const MODEL_TEXT: ModelText = {
  'webhooks create': { event: 'The event types to subscribe to' },
  'webhooks update': {
    description: 'New description; null clears it.',
    event: 'The event types to subscribe to, replacing the whole set',
  },
  'webhooks delete': { yes: CONFIRM },
  'webhooks rotate-secret': { yes: CONFIRM },
  'webhooks test': {
    event: 'The event type to send',
    wait: 'Follow the delivery log until the delivery ends; the call fails unless it succeeded.',
    waitTimeout: 'How long wait waits, in seconds (default 60).',
  },
  'webhooks verify': {
    secretFile: 'Path of a file holding the webhook secret (else ANCHOR_WEBHOOK_SECRET).',
    tolerance: 'Replay window either way, in seconds (default 120).',
  },
  'webhooks replay': {
    last: 'The newest n recorded deliveries.',
    to: 'Where to send them, on this machine only: an http(s) URL on 127.0.0.1, localhost or [::1] (default: the URL each was forwarded to)',
  },
};
