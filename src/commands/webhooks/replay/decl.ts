// `anchor webhooks replay`: its declaration. The command is in handler.ts.
import { arg, command, FlagError } from '../../spec.js';
import { bool, text } from '../../flag-builders.js';
import { httpUrl, since } from '../../value-flags.js';

export const replayCommand = command(
  {
    id: 'webhooks replay',
    description: 'send recorded deliveries to your app again: re-signed by default, or exactly as received',
  },
  () => ({
    args: [
      arg(
        '[id...]',
        'record ids (rec_…), or event (evt_…) or delivery ids (the newest verified delivery of each); or --last / --since',
      ),
    ],
    flags: {
      last: {
        flags: '--last [n]',
        description: 'the newest n recorded deliveries (default: 1)',
        type: 'integer',
        parse: (raw: unknown): number | true | undefined => {
          if (raw === undefined) return undefined;
          if (raw === true) return true;
          if (typeof raw === 'string' && /^(rec|evt)_/.test(raw))
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
      type: text('--type <type>', 'only this event type', { completes: 'event-types' }),
      to: httpUrl('--to <url>', 'where to send them (default: the URL each was forwarded to)'),
      asReceived: {
        ...bool('--as-received', 'send the original bytes and headers unchanged (to reproduce a failure)'),
        conflicts: {
          edit: 'sends the bytes unchanged',
          resignRefused: 'sends the bytes unchanged',
          newId: 'sends the bytes unchanged, and a new id changes them',
        },
      },
      newId: bool(
        '--new-id',
        'give each replayed envelope a fresh id (evt_…), re-signed, so an app that deduplicates takes it again',
      ),
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
      'anchor webhooks replay evt_4b1f0c2a9d8e7f6a5b4c3d2e --new-id',
      'anchor webhooks replay --since 1h --type task.completed --edit',
      'anchor webhooks replay rec_0m1a2b3c4002cd --resign-refused --to http://localhost:3000/webhooks/anchor',
    ],
  }),
);
