// `anchor webhooks inspect`: its declaration. The command is in handler.ts.
import { command } from '../../spec.js';
import { text } from '../../flag-builders.js';
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
    },
    examples: ['anchor webhooks inspect', 'anchor webhooks listen --secret-file ./anchor-secret --inspect'],
  }),
);
