// `anchor webhooks listen`: its flags and help. The command is in handler.ts.
import { command, FlagError, type Flag } from '../../spec.js';
import { didYouMean } from '../../../lib/suggest.js';
import { bool, choice, listOrUnset, many, onUnlessNo, readSecretFileFlag, text, textOr } from '../../flag-builders.js';
import { duration, forwardRoutes, optionalPort, port } from '../../value-flags.js';
import type { TunnelProvider } from '../../../local/tunnel/program.js';

/**
 * The providers --tunnel offers, said here and not imported (a value import would put the tunnel
 * code in every command line's start chunk); tsc refuses a list that misses or invents one.
 */
const TUNNEL_CHOICES = ['cloudflared', 'ngrok', 'ssh'] as const satisfies readonly TunnelProvider[];
type Unoffered = Exclude<TunnelProvider, (typeof TUNNEL_CHOICES)[number]>;
const everyProviderOffered: [Unoffered] extends [never] ? true : Unoffered = true;
void everyProviderOffered;

/** A --tunnel typo (`cloudfared`) gets a did-you-mean, as --events does, and the way to any other tunnel. */
function withSuggestion<T>(flag: Flag<T>, values: readonly string[]): Flag<T> {
  return {
    ...flag,
    parse: (raw) => {
      try {
        return flag.parse(raw);
      } catch (err) {
        if (!(err instanceof FlagError) || typeof raw !== 'string') throw err;
        throw new FlagError(
          `${err.message}.${didYouMean(raw, values)}`,
          "For any other tunnel, --tunnel-cmd '<command>' runs your own.",
        );
      }
    },
  };
}

export const DEFAULT_LISTEN_PORT = 4242;

/** What --print-secret and --reset-secret cannot be given with: they exit instead of serving. */
const NOT_WHILE_SERVING = Object.fromEntries(
  [
    'port',
    'host',
    'path',
    'events',
    'forwardTo',
    'printResponse',
    'forwardTimeout',
    'register',
    'tunnel',
    'tunnelHost',
    'tunnelCmd',
    'secretFile',
    'inspect',
    'backfill',
    'until',
    'readyFile',
    'record',
    'dedupe',
  ].map((key) => [key, 'manages the forwarding secret and exits without listening']),
);

export const listenCommand = command(
  {
    id: 'webhooks listen',
    description:
      'a local receiver: verifies every delivery, drops replays and duplicates, prints each event, can forward to your app',
  },
  () => ({
    flags: {
      port: port('--port <port>', 'port to listen on; 0 takes a free one', DEFAULT_LISTEN_PORT),
      host: textOr('--host <host>', 'address to bind', '127.0.0.1'),
      path: textOr('--path <path>', 'path deliveries arrive at', '/'),
      events: listOrUnset(
        '--events <types>',
        'only these event types (comma list); others are acknowledged and skipped',
        'event-types',
      ),
      forwardTo: forwardRoutes(
        '--forward-to <url>',
        "relay each verified delivery (raw body and headers) to your local app, answering with its status; with --register, re-signed with the forwarding secret. Repeat it with '<type pattern>=<url>' to route by event type (task.*=http://localhost:3000/tasks): the first matching route wins, then the one value without a pattern",
      ),
      printResponse: {
        ...bool(
          '--print-response',
          "after each forwarded event, print your app's status, latency and the start of its answer",
        ),
        requires: { forwardTo: 'it shows what your app answered' },
      },
      forwardTimeout: {
        ...duration(
          '--forward-timeout <duration>',
          'how long your app may take to answer (default: 10s, as long as Anchor waits); raise it to debug a slow handler, Anchor still stops at 10s',
          { bare: 's', max: 600_000, examples: '30, 30s or 2m' },
        ),
        requires: { forwardTo: 'it limits how long your app may take' },
      },
      register: {
        ...text(
          '--register <public-url>',
          'create a temporary webhook pointing at this public (tunnel) URL, verify with its secret, delete it on exit; forwarded deliveries are re-signed with the forwarding secret (--print-secret)',
        ),
        conflicts: { secretFile: 'uses the secret of the webhook it creates' },
      },
      tunnel: {
        ...withSuggestion(
          choice(
            '--tunnel <provider>',
            'start this tunnel program (yours, on PATH), prove its public URL reaches this listener, then do what --register does with that URL; the tunnel is stopped on exit',
            TUNNEL_CHOICES,
            {
              cloudflared: 'a Cloudflare quick tunnel: no account needed',
              ngrok: "ngrok's agent, with your authtoken",
              ssh: 'a reverse ssh tunnel (localhost.run by default; --tunnel-host for another)',
            },
          ),
          TUNNEL_CHOICES,
        ),
        conflicts: {
          register: 'registers the public URL of the tunnel it starts',
          secretFile: 'uses the secret of the webhook it creates',
        },
      },
      tunnelHost: {
        ...text(
          '--tunnel-host <user@host[:port]>',
          'with --tunnel ssh: the reverse-tunnel service to ssh to (default: nokey@localhost.run; pinggy: a.pinggy.io:443)',
          { nonEmpty: 'give user@host or user@host:port' },
        ),
        requires: { tunnel: 'it picks the host of --tunnel ssh' },
      },
      tunnelCmd: {
        ...text(
          '--tunnel-cmd <command>',
          "any other tunnel: run this command with sh -c ({port} is replaced by listen's port), take the first http(s) URL it prints as the public URL, then as --tunnel",
          { nonEmpty: 'give the command that starts your tunnel' },
        ),
        conflicts: {
          tunnel: '',
          register: 'registers the public URL the command prints',
          secretFile: 'uses the secret of the webhook it creates',
        },
      },
      printSecret: {
        ...bool(
          '--print-secret',
          "print this profile's forwarding secret (minted if there is none) alone on stdout and exit: for your app's .env",
        ),
        conflicts: NOT_WHILE_SERVING,
      },
      resetSecret: {
        ...bool(
          '--reset-secret',
          "mint a new forwarding secret for this profile and exit (your app's .env then needs the new one; with --print-secret, printed)",
        ),
        conflicts: NOT_WHILE_SERVING,
      },
      dedupe: onUnlessNo(
        '--no-dedupe',
        "forward duplicates of an envelope to the app too (marked as duplicates), to see your app's idempotency; by default they are acknowledged and dropped",
      ),
      allowLocalTargets: {
        ...bool(
          '--allow-local-targets',
          'with --register, --tunnel or --tunnel-cmd: allow http:// and local URLs (for the emulator; env ANCHOR_ALLOW_LOCAL_TARGETS=1)',
        ),
      },
      secretFile: readSecretFileFlag(),
      inspect: {
        ...optionalPort(
          '--inspect [port]',
          'also serve the inspector page over the record, on this port (default: 4243)',
          4243,
        ),
        conflicts: { record: 'shows the delivery record' },
      },
      webhook: {
        ...text('--webhook <id>', 'with --backfill: the webhook whose delivery log to read', {
          completes: 'webhook-ids',
        }),
        requires: { backfill: 'it names the webhook whose delivery log --backfill reads' },
      },
      backfill: {
        ...duration(
          '--backfill <duration>',
          're-deliver to --forward-to what did not succeed for --webhook within this long (e.g. 2h, 1d)',
          { max: 7 * 86_400_000, examples: '30m, 2h or 1d', why: 'the log keeps 7 days' },
        ),
        requires: { webhook: 'the webhook whose deliveries to re-deliver', forwardTo: 'it re-delivers to your app' },
      },
      record: onUnlessNo('--no-record', 'do not keep the requests in the delivery record (`anchor webhooks received`)'),
      until: text(
        '--until <type>',
        'exit 0 after the first verified event of this type (with --match: whose fields match)',
        {
          completes: 'event-types',
        },
      ),
      match: {
        ...many(
          '--match <path=value>',
          'with --until: a field the event must have, by dotted path (data.task_id=tsk_1); repeat for more',
        ),
        requires: { until: '' },
      },
      waitTimeout: {
        ...duration(
          '--wait-timeout <duration>',
          'with --until: how long to wait, e.g. 90, 90s or 5m (default: 10m); exit 1 when it runs out',
          { bare: 's', max: 86_400_000, examples: '90, 90s or 5m' },
        ),
        requires: { until: '' },
      },
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
      'anchor webhooks listen --tunnel cloudflared --forward-to http://localhost:3000/webhooks/anchor',
      'anchor webhooks listen --tunnel ssh --tunnel-host a.pinggy.io:443 --forward-to http://localhost:3000/webhooks/anchor',
      "anchor webhooks listen --tunnel-cmd 'my-tunnel --port {port}' --forward-to http://localhost:3000/webhooks/anchor",
      'anchor webhooks listen --register https://abc123.ngrok.app/ --forward-to http://localhost:3000/webhooks/anchor',
      'echo "ANCHOR_WEBHOOK_SECRET=$(anchor webhooks listen --print-secret)" >> .env',
      'anchor webhooks listen --secret-file ./anchor-secret --forward-to http://localhost:3000/webhooks/anchor',
      "anchor webhooks listen --secret-file ./anchor-secret --forward-to 'task.*=http://localhost:3000/tasks' --forward-to 'session.*=http://localhost:3000/sessions' --forward-to http://localhost:3000/other",
      'anchor webhooks listen --port 0 --json | jq -r .type',
      'anchor webhooks listen --register https://abc123.ngrok.app/ --until task.completed --match data.task_id=tsk_123 --wait-timeout 5m --json',
    ],
  }),
);
