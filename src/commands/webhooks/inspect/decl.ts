// `anchor webhooks inspect`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { bool, text } from '../../flag-builders.js';
import { httpUrl, port } from '../../value-flags.js';

export const inspectCommand = command(
  {
    id: 'webhooks inspect',
    description: 'a web page on 127.0.0.1 over the delivery record: requests as they arrive, details, replay',
  },
  () => ({
    flags: {
      port: port('--port <port>', 'port to serve the page on; 0 takes a free one', 4243),
      to: httpUrl('--to <url>', "where the page's replay buttons send (default: the URL each was forwarded to)"),
      secretFile: text('--secret-file <path>', 'the secret the replay button re-signs with; or ANCHOR_WEBHOOK_SECRET', {
        completes: 'files',
      }),
      resetToken: bool(
        '--reset-token',
        "a new token for the page's URL (the token is kept in the state folder, so an open tab survives a restart; this locks old tabs out)",
      ),
    },
    examples: [
      'anchor webhooks inspect',
      'anchor webhooks inspect --reset-token',
      'anchor webhooks listen --secret-file ./anchor-secret --inspect',
    ],
  }),
);
