// `anchor webhooks sign`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { readSecretFileFlag, text } from '../../flag-builders.js';

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
