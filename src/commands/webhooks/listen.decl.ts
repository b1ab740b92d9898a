// `anchor webhooks listen`: its flags and help. The command is in listen.ts.
import { bool, command, int, listOrUnset, readSecretFileFlag, text, textOr } from '../spec.js';

export const DEFAULT_LISTEN_PORT = 4242;

export const listenCommand = command({
  id: 'webhooks listen',
  description:
    'a local receiver: verifies every delivery, drops replays and duplicates, prints each event, can forward to your app',
  flags: {
    port: int('--port <port>', `port to listen on; 0 takes a free one (default: ${DEFAULT_LISTEN_PORT})`, {
      min: 0,
      max: 65535,
      outOfRange: 'must be from 0 to 65535',
    }),
    host: textOr('--host <host>', 'address to bind', '127.0.0.1'),
    path: textOr('--path <path>', 'path deliveries arrive at', '/'),
    events: listOrUnset(
      '--events <types>',
      'only these event types (comma list); others are acknowledged and skipped',
      'event-types',
    ),
    forwardTo: text(
      '--forward-to <url>',
      'relay each verified delivery (raw body and headers) to your local app, answering with its status',
    ),
    register: text(
      '--register <public-url>',
      'create a temporary webhook pointing at this public (tunnel) URL, use its secret, delete it on exit',
    ),
    allowLocalTargets: bool(
      '--allow-local-targets',
      'with --register: allow http:// and local URLs (for the emulator; env ANCHOR_ALLOW_LOCAL_TARGETS=1)',
    ),
    secretFile: readSecretFileFlag(),
  },
  examples: [
    'anchor webhooks listen --secret-file ./anchor-secret --forward-to http://localhost:3000/webhooks/anchor',
    'anchor webhooks listen --register https://abc123.ngrok.app/ --forward-to http://localhost:3000/webhooks/anchor',
    'anchor webhooks listen --port 0 --json | jq -r .type',
  ],
});
