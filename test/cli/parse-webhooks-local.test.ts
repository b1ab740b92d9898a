// Parser tables for the local loop and the delivery record: verify, sign, listen, received,
// received show, replay, inspect and check-receiver. argv → what the offline command makes of
// it, or the usage error, exit 2, with nothing sent to the API.
import { describe } from 'vitest';
import { computeSignature } from '../../src/core/signature.js';
import { parserTable, usage } from '../helpers/parser-table.js';

const SECRET = 'parser-table-secret-0123456789';
const withSecret = { env: { ANCHOR_WEBHOOK_SECRET: SECRET } };
const T = 1716544084;
const body = '{"id":"evt_1","type":"task.completed","text":"x","data":{}}';

describe('webhooks verify and sign', () => {
  parserTable([
    {
      argv: ['webhooks', 'sign', '--timestamp', String(T), '--payload', '-', '--json'],
      code: 0,
      stdin: body,
      ...withSecret,
      json: {
        timestamp: T,
        headers: {
          'Anchor-Timestamp': String(T),
          'Anchor-Signature': `t=${T},v1=${computeSignature(SECRET, T, body)}`,
        },
      },
    },
    {
      argv: ['webhooks', 'sign', '--timestamp', '2024-05-24T09:48:04Z', '--payload', '-', '--json'],
      code: 0,
      stdin: body,
      ...withSecret,
      json: { timestamp: T },
    },
    usage(['webhooks', 'sign', '--timestamp', 'abc'], 'invalid --timestamp "abc": give Unix seconds', withSecret),
    usage(['webhooks', 'sign'], 'no webhook signing secret'),
    usage(['webhooks', 'sign', '--secret-file', '/dev/null'], 'the secret file /dev/null is empty'),
    usage(['webhooks', 'verify'], 'missing --signature', withSecret),
    usage(['webhooks', 'verify', '--signature', 'x'], 'no webhook signing secret'),
    usage(['webhooks', 'verify', '--signature', 'x', '--secret-file', ''], '--secret-file'),
  ]);
});

describe('webhooks listen', () => {
  parserTable([
    usage(['webhooks', 'listen', '--port', '99999'], 'invalid --port "99999": must be from 0 to 65535', withSecret),
    // The reason differs from emulator's and inspect's today ("must be from 0 to 65535");
    // issue 24's shared port() flag makes them one.
    usage(['webhooks', 'listen', '--port', 'abc'], 'invalid --port "abc"', withSecret),
    usage(['webhooks', 'listen', '--match', 'a=b'], '--match goes with --until <type>', withSecret),
    usage(['webhooks', 'listen', '--until', 'nope.x'], '"nope.x"', withSecret),
    usage(
      ['webhooks', 'listen', '--until', 'task.completed', '--wait-timeout', 'soon'],
      'invalid --wait-timeout "soon"',
      withSecret,
    ),
    usage(
      ['webhooks', 'listen', '--inspect', '0', '--no-record'],
      '--inspect shows the delivery record; it cannot be combined with --no-record',
      withSecret,
    ),
    usage(['webhooks', 'listen', '--port', '0'], 'ANCHOR_WEBHOOK_SECRET'),
    usage(['webhooks', 'listen', '--register', 'http://127.0.0.1:9/'], '--allow-local-targets'),
    // --forward-to routes: `foo://x=y` is not a route (the part before `=` holds `://`), so it is a
    // URL, and not an http one.
    usage(
      ['webhooks', 'listen', '--forward-to', 'foo://x=y'],
      'invalid --forward-to "foo://x=y": its scheme is foo:',
      withSecret,
    ),
    usage(
      ['webhooks', 'listen', '--forward-to', 'task.*=localhost:3000/tasks'],
      'invalid --forward-to "task.*=localhost:3000/tasks": the URL of route task.* is not a URL',
      withSecret,
    ),
    usage(
      ['webhooks', 'listen', '--forward-to', 'http://127.0.0.1:3000/a', '--forward-to', 'http://127.0.0.1:3000/b'],
      'two default targets, http://127.0.0.1:3000/a and http://127.0.0.1:3000/b',
      withSecret,
    ),
    usage(
      [
        'webhooks',
        'listen',
        '--forward-to',
        'task.*=http://127.0.0.1:3000/a',
        '--forward-to',
        'task.*=http://127.0.0.1:3000/b',
      ],
      'two routes for task.*, to http://127.0.0.1:3000/a and http://127.0.0.1:3000/b',
      withSecret,
    ),
    usage(
      ['webhooks', 'listen', '--forward-to', 'tsk.*=http://127.0.0.1:3000/a'],
      /invalid --forward-to "tsk\.\*=http:\/\/127\.0\.0\.1:3000\/a": it matches no Anchor event type\. Did you mean "task\.\*"/,
      withSecret,
    ),
    usage(
      ['webhooks', 'listen', '--forward-to', 'task.nope=http://127.0.0.1:3000/a'],
      'matches no Anchor event type',
      withSecret,
    ),
    usage(['webhooks', 'listen', '--print-response'], '--print-response goes with --forward-to', withSecret),
    usage(['webhooks', 'listen', '--forward-timeout', '5s'], '--forward-timeout goes with --forward-to', withSecret),
    usage(
      ['webhooks', 'listen', '--forward-to', 'http://127.0.0.1:3000/a', '--forward-timeout', 'soon'],
      'invalid --forward-timeout "soon"',
      withSecret,
    ),
  ]);
});

describe('webhooks received, replay, inspect', () => {
  parserTable([
    { argv: ['webhooks', 'received', '--json'], code: 0, json: [] },
    {
      argv: [
        'webhooks',
        'received',
        '--since',
        '30m',
        '--type',
        'task.completed',
        '--refused',
        '--limit',
        '5',
        '--json',
      ],
      code: 0,
      json: [],
    },
    { argv: ['webhooks', 'received', 'show', 'rec_nope'], code: 5, stderr: 'no recorded request rec_nope' },
    { argv: ['webhooks', 'replay', '--last', '1'], code: 5, stderr: 'no recorded delivery matches' },
    usage(['webhooks', 'received', '--limit', 'abc'], 'invalid --limit "abc": must be a whole number from 1 to 1000'),
    usage(['webhooks', 'received', '--since', 'soon'], 'invalid --since "soon"'),
    usage(['webhooks', 'received', 'show'], 'missing the record id'),
    usage(['webhooks', 'replay'], 'say which recorded deliveries to replay'),
    usage(['webhooks', 'replay', '--last', '0'], 'invalid --last "0": give a whole number from 1 to 1000'),
    usage(['webhooks', 'inspect', '--port', 'abc'], 'invalid --port "abc": must be a port number'),
    usage(['webhooks', 'inspect', '--reset-token', 'now'], "too many arguments for 'inspect'"),
    usage(['webhooks', 'inspect', '--reset-tokn'], 'Did you mean --reset-token?'),
    usage(['webhooks', 'received', 'clear'], 'pass --yes instead'),
    usage(['webhooks', 'received', 'clear', '--before', 'soon', '--yes'], 'invalid --before "soon"'),
    usage(['webhooks', 'replay', 'rec_x', '--new-id', '--as-received'], '--as-received'),
    { argv: ['webhooks', 'received', 'clear', '--yes'], code: 0, stdout: 'Nothing to remove.' },
    { argv: ['webhooks', 'received', '--failed', '--json'], code: 0, json: [] },
    {
      argv: ['webhooks', 'received', 'show', 'evt_nope'],
      code: 5,
      stderr: 'no recorded request evt_nope',
    },
  ]);
});

describe('webhooks check-receiver', () => {
  parserTable([
    usage(['webhooks', 'check-receiver'], 'missing the URL of your receiver', withSecret),
    usage(
      ['webhooks', 'check-receiver', 'ftp://x'],
      'invalid URL "ftp://x": its scheme is ftp:; give an https:// URL (or http:// on loopback)',
      withSecret,
    ),
    usage(['webhooks', 'check-receiver', 'http://127.0.0.1:9/', 'extra'], 'too many arguments', withSecret),
  ]);
});
