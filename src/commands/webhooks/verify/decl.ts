// `anchor webhooks verify`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { readSecretFileFlag, text } from '../../flag-builders.js';
import { duration } from '../../value-flags.js';

export const verifyCommand = command(
  {
    id: 'webhooks verify',
    description: 'check a delivery offline as a receiver must; on failure, say which check failed and why',
  },
  () => ({
    flags: {
      signature: text('--signature <header>', 'the Anchor-Signature header as received (t=…,v1=…)'),
      timestamp: text('--timestamp <t>', 'the Anchor-Timestamp header, to check it matches t='),
      payload: text('--payload <file|->', 'the raw body as received (- for stdin; stdin by default when piped)', {
        completes: 'files',
      }),
      tolerance: duration('--tolerance <duration>', 'replay window either way, e.g. 120, 120s or 5m (default: 2m)', {
        bare: 's',
        min: 0,
        max: 86_400_000,
        examples: '120, 120s or 5m',
        wholeSeconds: true,
      }),
      now: text('--now <t>', 'check freshness as of this time (Unix seconds or ISO), e.g. for a stored delivery'),
      secretFile: readSecretFileFlag(),
    },
    examples: [
      'anchor webhooks verify --signature "$SIG" --timestamp "$TS" --payload body.json --secret-file ./anchor-secret',
      'ANCHOR_WEBHOOK_SECRET=… anchor webhooks verify --signature "$SIG" --payload - --json < body.json',
    ],
  }),
);
