// `anchor webhooks verify` and `sign`: flags and help. The commands are in verify.ts and sign.ts.
import { command, custom, FlagError, readSecretFileFlag, text } from '../spec.js';

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
      tolerance: custom('--tolerance <seconds>', 'replay window either way (default: 120)', (v) => {
        const n = Number(v);
        if (v.trim() === '' || !Number.isInteger(n) || n < 0 || n > 86_400)
          throw new FlagError('give whole seconds from 0 to 86400');
        return n;
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

export const signCommand = command(
  {
    id: 'webhooks sign',
    description: 'print the Anchor-* headers Anchor would send with a body, for test fixtures',
  },
  () => ({
    flags: {
      timestamp: text('--timestamp <t>', 'sign as of this time (Unix seconds or ISO) (default: now)'),
      payload: text('--payload <file|->', 'the body to sign (- for stdin; stdin by default when piped)', {
        completes: 'files',
      }),
      secretFile: readSecretFileFlag(),
    },
    examples: [
      'anchor webhooks sign --payload fixture.json --secret-file ./anchor-secret',
      'anchor webhooks sign --payload fixture.json --timestamp 1716544084 --json',
    ],
  }),
);
