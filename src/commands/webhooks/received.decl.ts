// `anchor webhooks received`, `received show`, `replay` and `inspect`: flags and help. The commands
// are in received.ts, replay.ts and inspect.ts.
import { command, FlagError } from '../spec.js';
import { bool, int, text } from '../flag-builders.js';
import { httpUrl, port, since } from '../value-flags.js';

const EVENT = { completes: 'event-types' } as const;

export const receivedListCommand = command(
  {
    id: 'webhooks received list',
    description: 'the requests `listen` recorded, newest first: id, time, event, verdict, answer, app status',
  },
  () => ({
    flags: {
      since: since('--since <dur|time>', 'only those received since then: 30m, 2h, 1d, or an ISO time'),
      type: text('--type <type>', 'only this event type', EVENT),
      refused: bool('--refused', 'only the refused requests'),
      limit: int('--limit <n>', 'at most this many (default: 50)', { min: 1, max: 1000 }),
    },
    examples: ['anchor webhooks received', 'anchor webhooks received --refused --since 1h --json'],
  }),
);

export const receivedShowCommand = command(
  {
    id: 'webhooks received show',
    description: 'one recorded request: headers, body, checks and diagnosis, the app’s answer',
  },
  () => ({
    args: [{ name: '[record-id]', description: 'the record id (rec_…), from `anchor webhooks received`' }],
    flags: {},
    examples: [
      'anchor webhooks received show rec_0m1a2b3c4001ab',
      'anchor webhooks received show rec_0m1a2b3c4001ab --json',
    ],
  }),
);

export const replayCommand = command(
  {
    id: 'webhooks replay',
    description: 'send recorded deliveries to your app again: re-signed by default, or exactly as received',
  },
  () => ({
    args: [{ name: '[record-id...]', description: 'record ids (rec_…); or --last / --since' }],
    flags: {
      last: {
        flags: '--last [n]',
        description: 'the newest n recorded deliveries (default: 1)',
        type: 'integer',
        parse: (raw: unknown): number | true | undefined => {
          if (raw === undefined) return undefined;
          if (raw === true) return true;
          if (typeof raw === 'string' && raw.startsWith('rec_'))
            // `--last rec_…`: the optional count took the id that was meant as an argument.
            throw new FlagError(
              '--last takes a count, and this is a record id',
              `Replay that record by its id alone (\`anchor webhooks replay ${raw}\`), or the newest ones with --last and a count (\`--last 3\`).`,
            );
          const n = Number(raw);
          if (!Number.isInteger(n) || n < 1 || n > 1000) throw new FlagError('give a whole number from 1 to 1000');
          return n;
        },
      },
      since: since('--since <dur|time>', 'every recorded delivery since then: 30m, 2h, or an ISO time'),
      type: text('--type <type>', 'only this event type', EVENT),
      to: httpUrl('--to <url>', 'where to send them (default: the URL each was forwarded to)'),
      asReceived: {
        ...bool('--as-received', 'send the original bytes and headers unchanged (to reproduce a failure)'),
        conflicts: { edit: 'sends the bytes unchanged', resignRefused: 'sends the bytes unchanged' },
      },
      edit: bool('--edit', 'open $VISUAL or $EDITOR on each body first, and sign what you save'),
      resignRefused: bool(
        '--resign-refused',
        're-sign a request listen refused too (else it goes only --as-received): only if you know where it came from',
      ),
      secretFile: text(
        '--secret-file <path>',
        'the secret to re-sign with (- for stdin); or set ANCHOR_WEBHOOK_SECRET',
        {
          completes: 'files',
        },
      ),
    },
    examples: [
      'anchor webhooks replay --last --to http://localhost:3000/webhooks/anchor --secret-file ./anchor-secret',
      'anchor webhooks replay rec_0m1a2b3c4001ab --as-received',
      'anchor webhooks replay --since 1h --type task.completed --edit',
      'anchor webhooks replay rec_0m1a2b3c4002cd --resign-refused --to http://localhost:3000/webhooks/anchor',
    ],
  }),
);

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
