// The flag builders for URLs, ports, durations and points in time (src/commands/value-flags.ts),
// and the pairwise rules a declaration states (conflicts, requires) that parseFlags checks.
import { describe, expect, it } from 'vitest';
import { command, parseFlags, type CommandSpec } from '../../src/commands/spec.js';
import { bool, onUnlessNo, text } from '../../src/commands/flag-builders.js';
import { duration, durationOr, httpUrl, optionalPort, port, since } from '../../src/commands/value-flags.js';
import { formatDuration, parseDurationOrBare } from '../../src/lib/duration.js';
import { UsageError } from '../../src/errors.js';
import { buildProgram, specOf } from '../../src/program.js';
import type { Command } from 'commander';

/** The usage error a flag's raw value gets, as parseFlags words it. */
function refusal(spec: CommandSpec, raw: Record<string, unknown>): UsageError {
  try {
    parseFlags(spec, raw);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    return e as UsageError;
  }
  throw new Error(`accepted ${JSON.stringify(raw)}`);
}

const one = <F extends CommandSpec['flags']>(flags: F) =>
  command({ id: 'demo', description: 'demo' }, () => ({ flags, examples: [] }));

describe('httpUrl', () => {
  const spec = one({ to: httpUrl('--to <url>', 'where') });
  it.each([
    ['http://localhost:3000/hooks', 'http://localhost:3000/hooks'],
    ['https://example.com/a?b=1', 'https://example.com/a?b=1'],
    ['http://[::1]:8080/', 'http://[::1]:8080/'],
  ])('%s is a URL', (raw, href) => {
    expect(parseFlags(spec, { to: raw }).to?.href).toBe(href);
  });
  it('is undefined when not given', () => {
    expect(parseFlags(spec, {}).to).toBeUndefined();
  });
  it.each([
    ['localhost:3000/hooks', 'not a URL'],
    ['not a url', 'not a URL'],
    ['', 'not a URL'],
    ['ftp://example.com/', 'its scheme is ftp:'],
    ['file:///etc/passwd', 'its scheme is file:'],
    ['javascript://x', 'its scheme is javascript:'],
  ])('%j is refused: %s', (raw, problem) => {
    const e = refusal(spec, { to: raw });
    expect(e.message).toBe(`invalid --to "${raw}": ${problem}; give an http:// or https:// URL`);
    expect(e.hint).toBe('For example: --to http://localhost:3000/webhooks/anchor');
  });
});

describe('port and optionalPort', () => {
  const spec = one({ port: port('--port <port>', 'port', 4010), inspect: optionalPort('--inspect [port]', 'x', 4243) });
  it.each([
    [{}, { port: 4010, inspect: undefined }],
    [{ port: '0' }, { port: 0 }],
    [{ port: '65535' }, { port: 65535 }],
    [{ inspect: true }, { inspect: 4243 }],
    [{ inspect: '0' }, { inspect: 0 }],
    [{ inspect: '8080' }, { inspect: 8080 }],
  ])('%j → %j', (raw, expected) => {
    expect(parseFlags(spec, raw)).toMatchObject(expected);
  });
  it.each([
    [{ port: 'abc' }, 'invalid --port "abc": must be a port number, from 0 to 65535'],
    [{ port: '' }, 'invalid --port "": must be a port number, from 0 to 65535'],
    [{ port: '1.5' }, 'invalid --port "1.5": must be a whole number from 0 to 65535'],
    [{ port: '70000' }, 'invalid --port "70000": must be from 0 to 65535'],
    [{ port: '-1' }, 'invalid --port "-1": must be from 0 to 65535'],
    [{ inspect: 'x' }, 'invalid --inspect "x": must be a port number, from 0 to 65535'],
    [{ inspect: '99999' }, 'invalid --inspect "99999": must be from 0 to 65535'],
  ])('%j is refused', (raw, message) => {
    const e = refusal(spec, raw);
    expect(e.message).toBe(message);
    expect(e.hint).toMatch(/^For example: --(port|inspect) 8080, or --(port|inspect) 0 for a free port$/);
  });
});

describe('duration', () => {
  const spec = one({
    seconds: duration('--seconds <d>', 'x', { bare: 's', max: 86_400_000, examples: '90, 90s or 5m' }),
    millis: durationOr('--millis <d>', 'x', '0', { bare: 'ms', min: 0, max: 60_000, examples: '250 or 2s' }),
    unitOnly: duration('--unit-only <d>', 'x', {
      max: 7 * 86_400_000,
      examples: '2h or 1d',
      why: 'the log keeps 7 days',
    }),
    whole: duration('--whole <d>', 'x', {
      bare: 's',
      min: 0,
      max: 86_400_000,
      examples: '120 or 5m',
      wholeSeconds: true,
    }),
  });
  it.each([
    [{}, { seconds: undefined, millis: 0, unitOnly: undefined, whole: undefined }],
    [{ seconds: '90' }, { seconds: 90_000 }],
    [{ seconds: '0.5' }, { seconds: 500 }],
    [{ seconds: '90s' }, { seconds: 90_000 }],
    [{ seconds: '2m' }, { seconds: 120_000 }],
    [{ seconds: ' 1h ' }, { seconds: 3_600_000 }],
    [{ seconds: '24h' }, { seconds: 86_400_000 }],
    [{ millis: '250' }, { millis: 250 }],
    [{ millis: '2s' }, { millis: 2000 }],
    [{ millis: '1m' }, { millis: 60_000 }],
    [{ unitOnly: '30m' }, { unitOnly: 1_800_000 }],
    [{ unitOnly: '7d' }, { unitOnly: 7 * 86_400_000 }],
    [{ whole: '0' }, { whole: 0 }],
    [{ whole: '5m' }, { whole: 300_000 }],
  ])('%j → %j', (raw, expected) => {
    expect(parseFlags(spec, raw)).toMatchObject(expected);
  });
  it.each([
    [
      { seconds: 'soon' },
      '--seconds "soon": must be a duration above 0 and at most 24h, such as 90, 90s or 5m; a bare number is seconds',
    ],
    [{ seconds: '0' }, '--seconds "0": must be a duration above 0 and at most 24h'],
    [{ seconds: '25h' }, '--seconds "25h": must be a duration above 0 and at most 24h'],
    [{ seconds: '-5s' }, '--seconds "-5s": must be a duration'],
    [{ seconds: '5 m' }, '--seconds "5 m": must be a duration'],
    [{ seconds: '' }, '--seconds "": must be a duration'],
    [
      { millis: '61s' },
      '--millis "61s": must be a duration from 0 to 1m, such as 250 or 2s; a bare number is milliseconds',
    ],
    [
      { unitOnly: '90' },
      '--unit-only "90": must be a duration above 0 and at most 7d (the log keeps 7 days), such as 2h or 1d',
    ],
    [{ unitOnly: '8d' }, '--unit-only "8d": must be a duration above 0 and at most 7d'],
    [{ whole: '1500ms' }, '--whole "1500ms": must be whole seconds, such as 120 or 5m'],
    [{ whole: '2d' }, '--whole "2d": must be a duration from 0 to 24h'],
  ])('%j is refused', (raw, message) => {
    expect(refusal(spec, raw).message).toContain(`invalid ${message}`);
  });
  it('formats and reads the units it names', () => {
    expect([0, 250, 1000, 90_000, 300_000, 86_400_000, 172_800_000, 1500].map(formatDuration)).toEqual([
      '0',
      '250ms',
      '1s',
      '90s',
      '5m',
      '24h',
      '2d',
      '1500ms',
    ]);
    expect(parseDurationOrBare('90', 's')).toBe(90_000);
    expect(parseDurationOrBare('90', 'ms')).toBe(90);
    expect(parseDurationOrBare('1.5s', 'ms')).toBe(1500);
    expect(parseDurationOrBare('1e3', 's')).toBeUndefined();
  });
});

describe('since', () => {
  const spec = one({ since: since('--since <time>', 'x') });
  const now = new Date('2026-05-24T12:00:00Z');
  it.each([
    ['30m', '2026-05-24T11:30:00.000Z'],
    ['2d', '2026-05-22T12:00:00.000Z'],
    ['2026-05-01', '2026-05-01T00:00:00.000Z'],
    ['2026-05-24T10:00:00+02:00', '2026-05-24T08:00:00.000Z'],
  ])('%s → %s', (raw, iso) => {
    const t = parseFlags(spec, { since: raw }).since!;
    expect(t.text).toBe(raw);
    expect(t.at(now).toISOString()).toBe(iso);
  });
  it.each(['yesterday', '30', '2026-13-45', ''])('%j is refused', (raw) => {
    const e = refusal(spec, { since: raw });
    expect(e.message).toBe(
      `invalid --since "${raw}": must be a duration back from now (30m, 2h, 1d) or an ISO time (2026-05-24T12:00:00Z)`,
    );
    expect(e.hint).toBe('For example: --since 2h');
  });
});

describe('pairwise rules', () => {
  const spec = one({
    register: { ...text('--register <url>', 'x'), conflicts: { secretFile: 'uses its own secret' } },
    secretFile: text('--secret-file <path>', 'x'),
    allow: { ...bool('--allow', 'x'), requires: { register: 'it lifts the rules' } },
    inspect: { ...optionalPort('--inspect [port]', 'x', 4243), conflicts: { record: 'shows the record' } },
    record: onUnlessNo('--no-record', 'x'),
    follow: { ...bool('--follow', 'x'), conflicts: { port: '' } },
    port: port('--port <port>', 'x', 4010),
    match: { ...text('--match <m>', 'x'), requires: { until: '' } },
    until: text('--until <type>', 'x'),
  });
  it('accepts what breaks no rule, including defaults commander filled in', () => {
    expect(() =>
      parseFlags(spec, { register: 'u', allow: true, record: true, port: '4010', follow: true }),
    ).not.toThrow();
    expect(() => parseFlags(spec, { secretFile: 'f', inspect: true, record: true })).not.toThrow();
    expect(() => parseFlags(spec, { match: 'a=1', until: 't' })).not.toThrow();
  });
  it.each([
    [{ register: 'u', secretFile: 'f' }, '--register uses its own secret; it cannot be combined with --secret-file'],
    [{ allow: true }, '--allow goes with --register <url> (it lifts the rules)'],
    [{ inspect: true, record: false }, '--inspect shows the record; it cannot be combined with --no-record'],
    [{ follow: true, port: '8080' }, '--follow cannot be combined with --port'],
    [{ match: 'a=1' }, '--match goes with --until <type>'],
  ])('%j → %s', (raw, message) => {
    expect(refusal(spec, raw).message).toBe(message);
  });
  it('a rule naming no flag of the command is a bug, not a usage error', () => {
    const broken = one({ a: { ...bool('--a', 'x'), conflicts: { nope: '' } } });
    expect(() => parseFlags(broken, { a: true })).toThrow(/a pairwise rule names "nope"/);
  });
  it('every rule of every declaration names a flag of its own command', () => {
    const program = buildProgram(async () => {}, { writeOut: () => {}, writeErr: () => {} });
    const walk = (cmd: Command): CommandSpec[] => [
      ...(specOf(cmd) ? [specOf(cmd)!] : []),
      ...cmd.commands.flatMap(walk),
    ];
    const specs = walk(program);
    expect(specs.length).toBeGreaterThan(30);
    let rules = 0;
    for (const s of specs)
      for (const flag of Object.values(s.flags))
        for (const other of [...Object.keys(flag.conflicts ?? {}), ...Object.keys(flag.requires ?? {})]) {
          rules++;
          expect(s.flags, `${s.id}: ${flag.flags} names ${other}`).toHaveProperty(other);
        }
    expect(rules).toBeGreaterThanOrEqual(15);
  });
});
