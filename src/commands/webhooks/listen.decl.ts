// `anchor webhooks listen`: its flags and help. The command is in listen.ts.
import { parseDuration } from '../../lib/duration.js';
import {
  bool,
  command,
  custom,
  FlagError,
  intOr,
  listOrUnset,
  many,
  onUnlessNo,
  readSecretFileFlag,
  text,
  textOr,
} from '../spec.js';

export const DEFAULT_LISTEN_PORT = 4242;

export const listenCommand = command(
  {
    id: 'webhooks listen',
    description:
      'a local receiver: verifies every delivery, drops replays and duplicates, prints each event, can forward to your app',
  },
  () => ({
    flags: {
      port: intOr('--port <port>', 'port to listen on; 0 takes a free one', DEFAULT_LISTEN_PORT, {
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
      inspect: {
        flags: '--inspect [port]',
        description: 'also serve the inspector page over the record, on this port (default: 4243)',
        type: 'integer',
        parse: (raw: unknown): number | undefined => {
          if (raw === undefined) return undefined;
          if (raw === true) return 4243;
          const n = Number(raw);
          if (!Number.isInteger(n) || n < 0 || n > 65535) throw new FlagError('must be a port from 0 to 65535');
          return n;
        },
      },
      webhook: text('--webhook <id>', 'with --backfill: the webhook whose delivery log to read', {
        completes: 'webhook-ids',
      }),
      backfill: custom(
        '--backfill <duration>',
        're-deliver to --forward-to what did not succeed for --webhook within this long (e.g. 2h, 1d)',
        (v) => {
          const ms = parseDuration(v);
          if (ms === undefined || !(ms > 0) || ms > 7 * 86_400_000)
            throw new FlagError('give a duration up to 7 days (the log keeps 7), e.g. 30m, 2h or 1d');
          return ms;
        },
      ),
      record: onUnlessNo('--no-record', 'do not keep the requests in the delivery record (`anchor webhooks received`)'),
      until: text(
        '--until <type>',
        'exit 0 after the first verified event of this type (with --match: whose fields match)',
        {
          completes: 'event-types',
        },
      ),
      match: many(
        '--match <path=value>',
        'with --until: a field the event must have, by dotted path (data.task_id=tsk_1); repeat for more',
      ),
      waitTimeout: custom(
        '--wait-timeout <duration>',
        'with --until: how long to wait, e.g. 90, 90s or 5m (default: 10m); exit 1 when it runs out',
        (v) => {
          const ms = /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) * 1000 : parseDuration(v);
          if (ms === undefined || !(ms > 0) || ms > 86_400_000)
            throw new FlagError('give a duration from 1s to 24h, e.g. 90, 90s or 5m');
          return ms;
        },
      ),
      readyFile: text(
        '--ready-file <path>',
        'create this file once deliveries are accepted (for scripts that wait on it)',
        {
          completes: 'files',
          nonEmpty: 'give a file path',
        },
      ),
    },
    examples: [
      'anchor webhooks listen --secret-file ./anchor-secret --forward-to http://localhost:3000/webhooks/anchor',
      'anchor webhooks listen --register https://abc123.ngrok.app/ --forward-to http://localhost:3000/webhooks/anchor',
      'anchor webhooks listen --port 0 --json | jq -r .type',
      'anchor webhooks listen --register https://abc123.ngrok.app/ --until task.completed --match data.task_id=tsk_123 --wait-timeout 5m --json',
    ],
  }),
);
