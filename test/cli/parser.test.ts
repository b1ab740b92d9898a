// Parser tables: argv → the command and raw options it receives, and the typed options its schema
// makes of them; bad flags → exit 2 with a message naming the flag.
import { describe, expect, it } from 'vitest';
import { CommanderError } from 'commander';
import { buildProgram, type RawInput } from '../../src/program.js';
import { emulatorCommand } from '../../src/commands/emulator/decl.js';
import { createCommand } from '../../src/commands/webhooks/create/decl.js';
import { updateCommand } from '../../src/commands/webhooks/update/decl.js';
import { parseFlags, type FlagValues } from '../../src/commands/spec.js';
import { parseGlobals } from '../../src/globals.js';
import { UsageError } from '../../src/errors.js';

async function dispatched(argv: string[]): Promise<{ id: string; input: RawInput }> {
  let got: { id: string; input: RawInput } | undefined;
  const program = buildProgram(
    async (id, input) => {
      got = { id, input };
    },
    { writeOut: () => {}, writeErr: () => {} },
  );
  await program.parseAsync(argv, { from: 'user' });
  if (!got) throw new Error('nothing dispatched');
  return got;
}

describe('emulator flags', () => {
  const table: Array<[string[], Partial<FlagValues<typeof emulatorCommand>>]> = [
    [
      ['emulator'],
      { port: 4010, host: '127.0.0.1', allowLocalTargets: false, retryDelays: [500, 1000, 2000, 5000, 10000] },
    ],
    [['emulator', '--port', '0'], { port: 0 }],
    [['emulator', '--host', '::1', '--port', '8080'], { host: '::1', port: 8080 }],
    [['emulator', '--allow-local-targets'], { allowLocalTargets: true }],
    [['emulator', '--api-key', 'a', 'b'], { apiKey: ['a', 'b'] }],
    [['emulator', '--api-key', 'a', '--api-key', 'b'], { apiKey: ['a', 'b'] }],
    [['emulator', '--retry-delays', '250ms,1s,30s,5m,1h'], { retryDelays: [250, 1000, 30000, 300000, 3600000] }],
    [['emulator', '--retry-delays', '10ms'], { retryDelays: [10] }],
  ];
  it.each(table)('%j', async (argv, expected) => {
    const { id, input } = await dispatched(argv);
    expect(id).toBe('emulator');
    expect(parseFlags(emulatorCommand, input.opts)).toMatchObject(expected);
  });

  const bad: Array<[string[], RegExp]> = [
    [['emulator', '--port', 'abc'], /--port "abc": must be a port number/],
    [['emulator', '--port', '70000'], /--port "70000": must be from 0 to 65535/],
    [['emulator', '--port', '1.5'], /--port "1.5": must be a whole number/],
    [['emulator', '--retry-delays', '1s,soon'], /--retry-delays "1s,soon": "soon" is not a duration/],
    [['emulator', '--retry-delays', '1s,1s,1s,1s,1s,1s'], /at most 5 waits/],
    [['emulator', '--api-key', ''], /--api-key "": an API key must not be empty/],
  ];
  it.each(bad)('%j is a usage error', async (argv, message) => {
    const { input } = await dispatched(argv);
    let caught: unknown;
    try {
      parseFlags(emulatorCommand, input.opts);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).exitCode).toBe(2);
    expect((caught as UsageError).message).toMatch(message);
  });
});

describe('global options', () => {
  it('are accepted before and after the command', async () => {
    for (const argv of [
      ['--json', '--timeout', '5', '--profile', 'ci', 'emulator'],
      ['emulator', '--json', '--timeout', '5', '--profile', 'ci'],
    ]) {
      const { input } = await dispatched(argv);
      expect(parseGlobals(input.globals, {})).toEqual({
        json: true,
        profile: 'ci',
        apiUrl: undefined,
        timeout: 5,
        input: true,
        color: true,
        debug: false,
      });
    }
  });

  it('take --no-input, --no-color, --debug, --api-url', async () => {
    const { input } = await dispatched([
      'emulator',
      '--no-input',
      '--no-color',
      '--debug',
      '--api-url',
      'http://127.0.0.1:9',
    ]);
    expect(parseGlobals(input.globals, {})).toMatchObject({
      input: false,
      color: false,
      debug: true,
      apiUrl: 'http://127.0.0.1:9',
    });
  });

  it('fall back to ANCHOR_PROFILE', async () => {
    const { input } = await dispatched(['emulator']);
    expect(parseGlobals(input.globals, { ANCHOR_PROFILE: 'staging' }).profile).toBe('staging');
  });

  it.each([
    [{ timeout: '0' }, /--timeout "0"/],
    [{ timeout: 'soon' }, /--timeout "soon"/],
    [{ profile: 'a b' }, /--profile "a b"/],
    [{ apiUrl: 'ftp://x' }, /--api-url "ftp:\/\/x": use an http/],
    [{ apiUrl: 'not a url' }, /--api-url "not a url": not a URL/],
    [{ apiUrl: 'https://u:p@api.example.com' }, /credentials in the URL/],
  ])('reject %j', (raw, message) => {
    expect(() => parseGlobals(raw, {})).toThrow(message);
  });
});

describe('commander errors', () => {
  it.each([
    [['nosuchcommand'], 'commander.unknownCommand'],
    [['--jsn'], 'commander.unknownOption'],
    [['emulator', '--prot', '1'], 'commander.unknownOption'],
    [['emulator', '--port'], 'commander.optionMissingArgument'],
    [['emulator', 'extra'], 'commander.excessArguments'],
  ])('%j → %s', async (argv, code) => {
    await expect(dispatched(argv)).rejects.toSatisfy((e) => e instanceof CommanderError && e.code === code);
  });
});

describe('webhooks flags', () => {
  it.each([
    [
      ['webhooks', 'create', '--url', 'https://e.com', '--event', 'task.completed'],
      { url: 'https://e.com', event: ['task.completed'], dryRun: false },
    ],
    [
      [
        'webhooks',
        'create',
        '--event',
        'task.completed,task.failed',
        '--event',
        'session.failed',
        '--event',
        'task.failed',
      ],
      { event: ['task.completed', 'task.failed', 'session.failed'] },
    ],
    [['webhooks', 'create', '--url', 'https://e.com', '--event', ' task.completed , '], { event: ['task.completed'] }],
    [
      ['webhooks', 'create', '--secret-file', './s', '--dry-run', '--allow-local-targets', '--description', 'd'],
      { secretFile: './s', dryRun: true, allowLocalTargets: true, description: 'd' },
    ],
  ])('create %j', async (argv, expected) => {
    const { id, input } = await dispatched(argv);
    expect(id).toBe('webhooks create');
    expect(parseFlags(createCommand, input.opts)).toMatchObject(expected);
  });

  it.each([
    [['webhooks', 'update', 'wh_1', '--no-description'], { description: false }],
    [['webhooks', 'update', 'wh_1', '--description', 'x'], { description: 'x' }],
    [
      ['webhooks', 'update', 'wh_1', '--add-event', 'a,b', '--remove-event', 'c'],
      { addEvent: ['a', 'b'], removeEvent: ['c'] },
    ],
    [['webhooks', 'update', 'wh_1', '--event', 'a', '--enable'], { event: ['a'], enable: true }],
  ])('update %j', async (argv, expected) => {
    const { input } = await dispatched(argv);
    expect(input.args).toEqual(['wh_1']);
    expect(parseFlags(updateCommand, input.opts)).toMatchObject(expected);
  });

  it.each([
    [['webhooks', 'ls'], 'webhooks list'],
    [['webhooks', 'rm', 'wh_1', '-y'], 'webhooks delete'],
    [['webhooks', 'rotate-secret', 'wh_1', '--yes'], 'webhooks rotate-secret'],
    [['auth', 'login', '--with-key', '--no-verify'], 'auth login'],
    [['config', 'set', 'api-url', 'http://127.0.0.1:1'], 'config set'],
  ])('%j dispatches %s', async (argv, expectedId) => {
    const { id, input } = await dispatched(argv);
    expect(id).toBe(expectedId);
    if (expectedId === 'webhooks delete') expect(input.opts.yes).toBe(true);
    if (expectedId === 'auth login') expect(input.opts).toMatchObject({ withKey: true, verify: false });
  });

  it.each([
    [['webhooks', 'create', '--url'], 'commander.optionMissingArgument'],
    [['webhooks', 'create', '--api-key', 'k'], 'commander.unknownOption'],
    [['auth', 'login', '--key', 'k'], 'commander.unknownOption'],
    [['webhooks', 'nosuch'], 'commander.unknownCommand'],
    [['config', 'set', 'api-url'], 'commander.missingArgument'],
  ])('%j → %s (no flag takes the key)', async (argv, code) => {
    await expect(dispatched(argv)).rejects.toSatisfy((e) => e instanceof CommanderError && e.code === code);
  });
});
