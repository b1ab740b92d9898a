// Command declarations (src/commands/spec.ts): each flag's parser, the messages a bad value gets,
// and the checks that tie a declaration to the commander tree built from it.
import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { command, FlagError, parseFlags } from '../../src/commands/spec.js';
import {
  bool,
  choice,
  custom,
  int,
  list,
  listOrUnset,
  num,
  onUnlessNo,
  text,
  textOr,
  textOrOff,
} from '../../src/commands/flag-builders.js';
import { buildProgram, declare, flagOf, specOf } from '../../src/program.js';
import { UsageError } from '../../src/errors.js';

const demo = command(
  {
    id: 'demo',
    description: 'a command to parse with',
  },
  () => ({
    flags: {
      yes: bool('-y, --yes', 'y'),
      verify: onUnlessNo('--no-verify', 'v'),
      name: text('--name <n>', 'n', { nonEmpty: 'give a name' }),
      host: textOr('--host <h>', 'h', '127.0.0.1'),
      description: textOrOff('--description <t>', 'd', 'clear it'),
      event: list('--event <type>', 'e'),
      only: listOrUnset('--only <types>', 'o'),
      status: choice('--status <s>', 'only these', ['pending', 'dead'] as const),
      limit: int('--limit <n>', 'l', { min: 1, max: 100 }),
      every: num('--every <s>', 'i', { min: 0.2, max: 10, notANumber: 'must be a number of seconds' }),
      when: custom('--when <t>', 'w', (v) => {
        if (v !== 'now') throw new FlagError('only "now" is known', 'Try --when now.');
        return 0;
      }),
    },
    examples: [],
  }),
);

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('no error thrown');
}

describe('parseFlags', () => {
  it('types what commander gives, with defaults for what it does not', () => {
    expect(parseFlags(demo, {})).toEqual({
      yes: false,
      verify: true,
      name: undefined,
      host: '127.0.0.1',
      description: undefined,
      event: [],
      only: undefined,
      status: undefined,
      limit: undefined,
      every: undefined,
      when: undefined,
    });
    expect(
      parseFlags(demo, {
        yes: true,
        verify: false,
        name: 'x',
        host: '::1',
        description: false,
        event: ['a,b', ' b ', 'c'],
        only: ['x'],
        status: 'dead',
        limit: '100',
        every: '0.5',
        when: 'now',
      }),
    ).toEqual({
      yes: true,
      verify: false,
      name: 'x',
      host: '::1',
      description: false,
      event: ['a', 'b', 'c'],
      only: ['x'],
      status: 'dead',
      limit: 100,
      every: 0.5,
      when: 0,
    });
  });

  it.each([
    [{ name: '' }, 'invalid --name "": give a name'],
    [{ status: 'done' }, 'invalid --status "done": must be one of pending, dead'],
    [{ limit: '0' }, 'invalid --limit "0": must be a whole number from 1 to 100'],
    [{ limit: '1.5' }, 'invalid --limit "1.5": must be a whole number from 1 to 100'],
    [{ limit: 'ten' }, 'invalid --limit "ten": must be a whole number from 1 to 100'],
    [{ limit: '' }, 'invalid --limit "": must be a whole number from 1 to 100'],
    [{ every: 'soon' }, 'invalid --every "soon": must be a number of seconds'],
    [{ every: '11' }, 'invalid --every "11": must be from 0.2 to 10'],
    [{ when: 'later' }, 'invalid --when "later": only "now" is known'],
  ])('%j → %s (exit 2)', (raw, message) => {
    const e = usageError(() => parseFlags(demo, raw));
    expect(e.message).toBe(message);
    expect(e.exitCode).toBe(2);
  });

  it('keeps the hint a parser gives', () => {
    expect(usageError(() => parseFlags(demo, { when: 'later' })).hint).toBe('Try --when now.');
  });

  it('lets any other error through: a parser bug is not a usage error', () => {
    const broken = command(
      {
        id: 'broken',
        description: '',
      },
      () => ({
        flags: {
          x: custom('--x <v>', '', () => {
            throw new TypeError('bug');
          }),
        },
        examples: [],
      }),
    );
    expect(() => parseFlags(broken, { x: '1' })).toThrow(TypeError);
  });
});

describe('the tree built from the declarations', () => {
  const program = buildProgram(async () => {}, { writeOut: () => {}, writeErr: () => {} });
  const all: Command[] = [];
  const walk = (c: Command) => {
    all.push(c);
    c.commands.forEach(walk);
  };
  walk(program);

  it('has a declaration behind every leaf command and every one of its flags', () => {
    const leaves = all.filter((c) => c.commands.length === 0);
    expect(leaves.length).toBeGreaterThanOrEqual(28);
    expect(new Set(leaves.map((l) => specOf(l)?.id)).size).toBe(leaves.length);
    for (const leaf of leaves) {
      const spec = specOf(leaf)!;
      expect(spec, leaf.name()).toBeDefined();
      expect(spec.id.endsWith(leaf.name())).toBe(true);
      for (const o of leaf.options.filter(
        (o) => !o.negate || !leaf.options.some((p) => p !== o && p.attributeName() === o.attributeName()),
      ))
        expect(flagOf(o), `${spec.id} ${o.flags}`).toBeDefined();
    }
  });

  it('declares each enum once: --status offers, lists in help and accepts the same values', () => {
    const deliveries = all.find((c) => specOf(c)?.id === 'webhooks deliveries')!;
    const status = flagOf(deliveries.options.find((o) => o.long === '--status')!)!;
    expect(status.completes).toEqual(['pending', 'succeeded', 'failed', 'dead']);
    expect(status.description).toContain('pending, succeeded, failed or dead');
    for (const v of status.completes as string[]) expect(status.parse(v)).toBe(v);
    expect(() => status.parse('queued')).toThrow(FlagError);
  });

  it('refuses a declaration whose key is not where commander stores the value', () => {
    const wrong = command(
      {
        id: 'x',
        description: '',
      },
      () => ({
        flags: { secret: text('--secret-file <path>', '') },
        examples: [],
      }),
    );
    expect(() => declare(new Command('t'), wrong, () => async () => {})).toThrow(
      'x: --secret-file <path> is stored as "secretFile", declared as "secret"',
    );
  });
});

describe('building only the group a command line names', () => {
  it('finds the command word past global options and their values', async () => {
    const { commandWord } = await import('../../src/argv.js');
    expect(commandWord(['--profile', 'ci', '--timeout', '5', '--json', 'events', 'list'])).toBe('events');
    expect(commandWord(['--api-url', 'http://x', 'webhooks'])).toBe('webhooks');
    expect(commandWord(['--json'])).toBeUndefined();
    expect(commandWord(['--', 'events'])).toBeUndefined();
  });

  it('runs such a command line, and still says "did you mean" for another group', async () => {
    const { runCli } = await import('../helpers/io.js');
    const r = await runCli(['--profile', 'ci', '--timeout', '5', 'events', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toContainEqual(expect.objectContaining({ type: 'task.completed' }));
    const typo = await runCli(['webhoks', 'list']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean webhooks?');
    const other = await runCli(['events', '--help']);
    expect(other.stdout).toContain('scenarios');
  });
});

describe('a declaration made when first read', () => {
  it('makes its flags, arguments and examples once, on the first read, and never for its name alone', () => {
    let made = 0;
    const lazy = command({ id: 'lazy', description: 'one line', alias: 'lz' }, () => {
      made++;
      return { flags: { yes: bool('-y, --yes', 'y') }, examples: ['anchor lazy -y'] };
    });
    expect([lazy.id, lazy.description, lazy.alias]).toEqual(['lazy', 'one line', 'lz']);
    expect(made).toBe(0);
    expect(Object.keys(lazy.flags)).toEqual(['yes']);
    expect(lazy.examples).toEqual(['anchor lazy -y']);
    expect(lazy.args).toBeUndefined();
    expect(made).toBe(1);
  });

  it('a command line builds its own command only; with an unknown word, the names around it for "did you mean"', () => {
    const io = { writeOut: () => {}, writeErr: () => {} };
    const group = (p: Command, name: string) => p.commands.find((c) => c.name() === name);
    const known = buildProgram(async () => {}, io, { only: 'webhooks', leaf: 'verify' });
    expect(known.commands.map((c) => c.name())).toEqual(['webhooks']);
    const webhooks = group(known, 'webhooks')!;
    expect(webhooks.commands.map((c) => c.name())).toEqual(['verify']);
    expect(webhooks.commands[0]!.options.map((o) => o.long)).toContain('--signature');
    const typo = buildProgram(async () => {}, io, { only: 'webhooks', leaf: 'verfy' });
    const shells = group(typo, 'webhooks')!.commands;
    expect(shells.map((c) => c.name())).toContain('verify');
    expect(shells.find((c) => c.name() === 'delete')!.aliases()).toEqual(['rm']);
    expect(shells.every((c) => c.options.length === 0 && specOf(c) === undefined)).toBe(true);
    expect(group(typo, 'events')).toBeUndefined();
    const unknownGroup = buildProgram(async () => {}, io, { only: 'webhoks' });
    expect(group(unknownGroup, 'events')!.commands).toHaveLength(0);
    expect(group(unknownGroup, 'webhooks')!.description()).toContain('manage webhooks');
  });
});
