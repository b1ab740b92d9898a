// Parser tables for the commands whose flags take URLs, ports, durations and points in time, or
// carry pairwise rules: argv → the typed value the command receives, or the usage error (exit 2).
import { describe, expect, it } from 'vitest';
import { buildProgram, type RawInput } from '../../src/program.js';
import { listenOptions } from '../../src/commands/webhooks/listen/options.js';
import { listenCommand } from '../../src/commands/webhooks/listen/decl.js';
import { UsageError } from '../../src/errors.js';
import { parseFlags } from '../../src/commands/spec.js';

async function dispatched(argv: string[]): Promise<RawInput> {
  let got: RawInput | undefined;
  const program = buildProgram(
    async (_id, input) => {
      got = input;
    },
    { writeOut: () => {}, writeErr: () => {} },
  );
  await program.parseAsync(argv, { from: 'user' });
  if (!got) throw new Error('nothing dispatched');
  return got;
}

/** What each command makes of its flags: its own parse where it has one, else the declaration's. */
const PARSERS: Record<string, (input: RawInput) => unknown> = {
  'webhooks listen': (input) => listenOptions(parseFlags(listenCommand, input.opts), {}),
};
async function parsed(argv: string[]): Promise<Record<string, unknown>> {
  const input = await dispatched(argv);
  const own = PARSERS[input.spec.id];
  return (own ? own(input) : parseFlags(input.spec, input.opts)) as Record<string, unknown>;
}

const ID = 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y';
const APP = 'http://localhost:3000/hooks';
const url = (href: string) => new URL(href);

const accepted: Array<[string[], Record<string, unknown>]> = [
  // webhooks test --wait-timeout: seconds when bare, as before; units now too.
  [['webhooks', 'test', ID, '--wait'], { waitTimeout: 60_000 }],
  [['webhooks', 'test', ID, '--wait', '--wait-timeout', '2m'], { waitTimeout: 120_000 }],
  [['webhooks', 'test', ID, '--wait', '--wait-timeout', '90'], { waitTimeout: 90_000 }],
  [['webhooks', 'test', ID, '--wait', '--wait-timeout', '90s'], { waitTimeout: 90_000 }],
  // webhooks listen
  [['webhooks', 'listen'], { port: 4242, forwardTo: undefined, record: true }],
  [['webhooks', 'listen', '--port', '0', '--forward-to', APP], { port: 0, forwardTo: url(APP) }],
  // --forward-to repeats: a route when the part before its first `=` is a type pattern without
  // `://`; anything else is the default target (a URL with `?a=b` too).
  [
    ['webhooks', 'listen', '--forward-to', `task.*=${APP}/tasks`, '--forward-to', 'http://localhost:3000/?a=b'],
    {
      routes: [{ pattern: 'task.*', url: url(`${APP}/tasks`) }, { url: url('http://localhost:3000/?a=b') }],
      forwardTo: url('http://localhost:3000/?a=b'),
    },
  ],
  [
    ['webhooks', 'listen', '--forward-to', `*=${APP}`],
    { routes: [{ pattern: '*', url: url(APP) }], forwardTo: undefined },
  ],
  [
    ['webhooks', 'listen', '--forward-to', `session.recording.ready=${APP}`],
    { routes: [{ pattern: 'session.recording.ready', url: url(APP) }] },
  ],
  [['webhooks', 'listen', '--forward-to', APP, '--forward-timeout', '30'], { forwardTimeoutMs: 30_000 }],
  [['webhooks', 'listen', '--forward-to', APP, '--print-response'], { printResponse: true }],
  [['webhooks', 'listen', '--inspect'], { inspect: 4243 }],
  [['webhooks', 'listen', '--inspect', '5000'], { inspect: 5000 }],
  [
    ['webhooks', 'listen', '--until', 'task.completed', '--wait-timeout', '5m'],
    { until: { type: 'task.completed', match: [], timeoutMs: 300_000 } },
  ],
  [
    ['webhooks', 'listen', '--until', 'task.completed', '--wait-timeout', '90'],
    { until: { type: 'task.completed', match: [], timeoutMs: 90_000 } },
  ],
  [
    ['webhooks', 'listen', '--webhook', ID, '--backfill', '2h', '--forward-to', APP],
    { backfill: { webhookId: ID, windowMs: 7_200_000 } },
  ],
  // events trigger --delay: milliseconds when bare, as before.
  [['events', 'trigger', 'task.completed', '--forward-to', APP], { forwardTo: url(APP), delay: 0 }],
  [['events', 'trigger', '--scenario', 'human-in-the-loop', '--forward-to', APP, '--delay', '250'], { delay: 250 }],
  [['events', 'trigger', '--scenario', 'human-in-the-loop', '--forward-to', APP, '--delay', '2s'], { delay: 2000 }],
  // replay and inspect
  [['webhooks', 'replay', '--last', '--to', 'https://app.example.com/h'], { to: url('https://app.example.com/h') }],
  [['webhooks', 'inspect', '--port', '0', '--to', APP], { port: 0, to: url(APP) }],
  [['webhooks', 'inspect'], { port: 4243, to: undefined }],
  // deliveries --interval: seconds when bare, as before.
  [['webhooks', 'deliveries', ID, '--follow'], { interval: 2000 }],
  [['webhooks', 'deliveries', ID, '--follow', '--interval', '0.2'], { interval: 200 }],
  [['webhooks', 'deliveries', ID, '--follow', '--interval', '500ms'], { interval: 500 }],
  [['webhooks', 'deliveries', ID, '--follow', '--interval', '1m'], { interval: 60_000 }],
  // verify --tolerance: seconds when bare, as before.
  [['webhooks', 'verify', '--tolerance', '120'], { tolerance: 120_000 }],
  [['webhooks', 'verify', '--tolerance', '5m'], { tolerance: 300_000 }],
  [['webhooks', 'verify', '--tolerance', '0'], { tolerance: 0 }],
];

describe('flags that take values and rules: accepted', () => {
  it.each(accepted)('%j', async (argv, expected) => {
    expect(await parsed(argv)).toMatchObject(expected);
  });

  it('--since and --until keep what was typed and resolve against the clock when read', async () => {
    const now = new Date('2026-05-24T12:00:00Z');
    for (const argv of [
      ['webhooks', 'received', '--since', '30m'],
      ['webhooks', 'replay', '--since', '30m'],
      ['webhooks', 'deliveries', ID, '--since', '30m'],
    ]) {
      const since = (await parsed(argv)).since as { text: string; at: (now: Date) => Date };
      expect(since.text).toBe('30m');
      expect(since.at(now).toISOString()).toBe('2026-05-24T11:30:00.000Z');
    }
  });
});

const refused: Array<[string[], string | RegExp]> = [
  [
    ['webhooks', 'test', ID, '--wait', '--wait-timeout', 'soon'],
    /^invalid --wait-timeout "soon": must be a duration above 0 and at most 24h, such as 90, 90s or 5m; a bare number is seconds$/,
  ],
  [
    ['webhooks', 'test', ID, '--wait', '--wait-timeout', '2d'],
    /^invalid --wait-timeout "2d": must be a duration above 0/,
  ],
  [['webhooks', 'test', ID, '--wait-timeout', '2m'], '--wait-timeout goes with --wait'],
  [
    ['webhooks', 'listen', '--forward-to', 'localhost:3000'],
    'invalid --forward-to "localhost:3000": not a URL; give an http:// or https:// URL',
  ],
  [
    ['webhooks', 'listen', '--forward-to', 'ftp://x/'],
    'invalid --forward-to "ftp://x/": its scheme is ftp:; give an http:// or https:// URL',
  ],
  [['webhooks', 'listen', '--port', '70000'], 'invalid --port "70000": must be from 0 to 65535'],
  [['webhooks', 'listen', '--inspect', 'abc'], 'invalid --inspect "abc": must be a port number, from 0 to 65535'],
  [
    ['webhooks', 'listen', '--until', 'task.completed', '--wait-timeout', '0'],
    /^invalid --wait-timeout "0": must be a duration above 0/,
  ],
  [['webhooks', 'listen', '--wait-timeout', '5m'], '--wait-timeout goes with --until <type>'],
  [['webhooks', 'listen', '--match', 'data.a=1'], '--match goes with --until <type>'],
  [
    ['webhooks', 'listen', '--allow-local-targets'],
    '--allow-local-targets goes with --register, --tunnel or --tunnel-cmd (it lifts the URL rules for the webhook it creates)',
  ],
  [
    ['webhooks', 'listen', '--register', 'https://a.example.com/', '--secret-file', 'f'],
    '--register uses the secret of the webhook it creates; it cannot be combined with --secret-file',
  ],
  [
    ['webhooks', 'listen', '--inspect', '--no-record'],
    '--inspect shows the delivery record; it cannot be combined with --no-record',
  ],
  [['webhooks', 'listen', '--webhook', ID], /^--webhook goes with --backfill <duration>/],
  [['webhooks', 'listen', '--backfill', '2h', '--forward-to', APP], /^--backfill goes with --webhook <id>/],
  [['webhooks', 'listen', '--webhook', ID, '--backfill', '2h'], /^--backfill goes with --forward-to <url>/],
  [
    ['webhooks', 'listen', '--webhook', ID, '--backfill', '90', '--forward-to', APP],
    /^invalid --backfill "90": must be a duration above 0 and at most 7d \(the log keeps 7 days\)/,
  ],
  [['webhooks', 'listen', '--webhook', ID, '--backfill', '8d', '--forward-to', APP], /^invalid --backfill "8d"/],
  [
    ['events', 'trigger', 'task.completed', '--forward-to', 'file:///etc/passwd'],
    'invalid --forward-to "file:///etc/passwd": its scheme is file:; give an http:// or https:// URL',
  ],
  [
    ['events', 'trigger', '--scenario', 'human-in-the-loop', '--forward-to', APP, '--delay', '2m'],
    /^invalid --delay "2m": must be a duration from 0 to 1m, such as .*; a bare number is milliseconds$/,
  ],
  [
    ['events', 'trigger', '--scenario', 'human-in-the-loop', '--forward-to', APP, '--payload', 'x.json'],
    '--payload sends one body of your own; it cannot be combined with --scenario',
  ],
  [
    ['webhooks', 'replay', '--last', '--to', 'not a url'],
    'invalid --to "not a url": not a URL; give an http:// or https:// URL',
  ],
  [['webhooks', 'replay', '--since', 'lately'], /^invalid --since "lately": must be a duration back from now/],
  [
    ['webhooks', 'replay', '--last', '--as-received', '--edit'],
    '--as-received sends the bytes unchanged; it cannot be combined with --edit',
  ],
  [
    ['webhooks', 'replay', '--last', '--as-received', '--resign-refused'],
    '--as-received sends the bytes unchanged; it cannot be combined with --resign-refused',
  ],
  [
    ['webhooks', 'inspect', '--to', 'ws://x/'],
    'invalid --to "ws://x/": its scheme is ws:; give an http:// or https:// URL',
  ],
  [['webhooks', 'inspect', '--port', '1.5'], 'invalid --port "1.5": must be a whole number from 0 to 65535'],
  [['webhooks', 'received', '--since', '5'], /^invalid --since "5": must be a duration back from now/],
  [
    ['webhooks', 'deliveries', ID, '--until', 'tomorrow'],
    /^invalid --until "tomorrow": must be a duration back from now/,
  ],
  [
    ['webhooks', 'deliveries', ID, '--follow', '--interval', '100ms'],
    /^invalid --interval "100ms": must be a duration from 200ms to 1h/,
  ],
  [['webhooks', 'deliveries', ID, '--follow', '--all'], '--follow cannot be combined with --all'],
  [['webhooks', 'deliveries', ID, '--follow', '--until', '1h'], '--follow cannot be combined with --until'],
  [
    ['webhooks', 'deliveries', ID, '--all', '--offset', '5'],
    '--all starts from the first row; it cannot be combined with --offset',
  ],
  [
    ['webhooks', 'verify', '--tolerance', '1.5'],
    'invalid --tolerance "1.5": must be whole seconds, such as 120, 120s or 5m',
  ],
  [['webhooks', 'verify', '--tolerance', '2d'], /^invalid --tolerance "2d": must be a duration from 0 to 24h/],
];

describe('flags that take values and rules: refused with exit 2', () => {
  it.each(refused)('%j', async (argv, message) => {
    let caught: unknown;
    try {
      await parsed(argv);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).exitCode).toBe(2);
    if (typeof message === 'string') expect((caught as UsageError).message).toBe(message);
    else expect((caught as UsageError).message).toMatch(message);
  });
});
