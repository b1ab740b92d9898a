// The table of global options and the argv scanner: every option of the table works before and
// after the command words (also in a group with a default command), and what the scanner decides
// is what commander does; help lists the options in full at the top, compactly under a command.
import { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandWord, givenGlobals, isPlainHelp, scanArgv, type Token } from '../../src/argv.js';
import { complete } from '../../src/completion/engine.js';
import { GLOBAL_OPTIONS, longFlagOf, parseGlobals, takesValue, type GlobalOptionDef } from '../../src/globals.js';
import { printHelp } from '../../src/help.js';
import { buildProgram, type RawInput } from '../../src/program.js';
import { runCli } from '../helpers/io.js';
import { TREE, type TreeGroup } from '../../src/commands/tree.js';

const TABLE = GLOBAL_OPTIONS as readonly GlobalOptionDef[];
const quiet = { writeOut: () => {}, writeErr: () => {} };

async function dispatched(argv: string[]): Promise<{ id: string; input: RawInput }> {
  let got: { id: string; input: RawInput } | undefined;
  const program = buildProgram(async (id, input) => void (got = { id, input }), quiet);
  await program.parseAsync(argv, { from: 'user' });
  if (!got) throw new Error(`nothing dispatched for ${argv.join(' ')}`);
  return got;
}

/** The words that give an option, and the value parseGlobals should make of them. */
function given(def: GlobalOptionDef): { words: string[]; expected: unknown } {
  if (takesValue(def)) return { words: [longFlagOf(def), def.example!], expected: def.parse(def.example) };
  return { words: [longFlagOf(def)], expected: def.parse(!def.flags.startsWith('--no-')) };
}

describe('the table of global options', () => {
  it.each(TABLE.map((d) => [d.flags, d] as const))('%s: commander stores it under its key', (_f, def) => {
    expect(new Option(def.flags).attributeName()).toBe(def.key);
    if (takesValue(def)) expect(def.example, 'a value option needs an example').toBeDefined();
  });

  const lines = TABLE.flatMap(
    (def) =>
      [
        ['before the command', def, (w: string[]) => [...w, 'events', 'list', '--json'], 'events list'],
        ['after the command', def, (w: string[]) => ['events', 'list', '--json', ...w], 'events list'],
        [
          'before a default command',
          def,
          (w: string[]) => [...w, 'webhooks', 'received', '--json'],
          'webhooks received list',
        ],
        [
          'after a default command',
          def,
          (w: string[]) => ['webhooks', 'received', '--json', ...w],
          'webhooks received list',
        ],
      ] as const,
  );
  it.each(lines.map(([where, def, argv, id]) => [def.flags, where, def, argv, id] as const))(
    '%s %s: parsed, and the command runs',
    async (_f, _where, def, argvOf, id) => {
      const { words, expected } = given(def);
      const argv = argvOf(words);
      expect(commandWord(argv)).toBe(argv.includes('events') ? 'events' : 'webhooks');
      const { id: ran, input } = await dispatched(argv);
      expect(ran).toBe(id);
      expect(parseGlobals(input.globals, {})[def.key as keyof ReturnType<typeof parseGlobals>]).toEqual(expected);
      const r = await runCli(argv);
      expect(r.stderr).not.toMatch(/too many arguments|unknown/);
      expect(r.code).toBe(0);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    },
  );

  it('help past any global option is the help fast path, and the same as main() gives', async () => {
    for (const def of TABLE) {
      const argv = [...given(def).words, 'webhooks', 'received', '--help'];
      expect(isPlainHelp(argv)).toBe(true);
      let fast = '';
      expect(printHelp(argv, (s) => (fast += s))).toBe(0);
      const viaMain = await runCli(argv);
      expect(viaMain.code).toBe(0);
      expect(fast).toBe(viaMain.stdout);
      expect(fast).toContain('Usage: anchor webhooks received');
    }
  });
});

describe('the argv scanner', () => {
  const table: Array<[string[], Token[]]> = [
    [
      ['--profile', 'ci', 'events', 'list'],
      [
        { kind: 'option', flag: '--profile', value: 'ci' },
        { kind: 'word', text: 'events' },
        { kind: 'word', text: 'list' },
      ],
    ],
    [
      ['--timeout=5', '--json=1', 'x'],
      [
        { kind: 'option', flag: '--timeout', value: '5' },
        { kind: 'option', flag: '--json=1', value: undefined },
        { kind: 'word', text: 'x' },
      ],
    ],
    [
      ['-', '--since', '1h', '--', '--json'],
      [
        { kind: 'word', text: '-' },
        { kind: 'option', flag: '--since', value: undefined },
        { kind: 'word', text: '1h' },
        { kind: 'end', rest: ['--json'] },
      ],
    ],
    [['--timeout', '--help'], [{ kind: 'option', flag: '--timeout', value: '--help' }]],
  ];
  it.each(table)('%j', (argv, tokens) => {
    expect([...scanArgv(argv)]).toEqual(tokens);
  });

  it('an optional value is the next word unless that is an option (a negative number is a value)', () => {
    const rule = (f: string) => (f === '--last' ? 'optional' : undefined);
    expect([...scanArgv(['--last', '--json'], rule)][0]).toEqual({ kind: 'option', flag: '--last', value: undefined });
    expect([...scanArgv(['--last', '-3'], rule)][0]).toEqual({ kind: 'option', flag: '--last', value: '-3' });
  });

  it('reads the global options given before commander parses, the last one winning', () => {
    const g = givenGlobals(['--json', '--no-color', '--profile', 'a', 'x', '--profile=b', '--', '--debug']);
    expect(Object.fromEntries(g)).toEqual({ json: true, color: false, profile: 'b' });
  });

  it("plain help is words, help flags and global options; a command's own option or `--` is not", () => {
    expect(isPlainHelp([])).toBe(true);
    expect(isPlainHelp(['--profile', 'ci', 'webhooks', '-h'])).toBe(true);
    expect(isPlainHelp(['webhooks', 'received', '--since', '1h', '--help'])).toBe(false);
    expect(isPlainHelp(['events', 'show', '--', '--help'])).toBe(false);
    expect(isPlainHelp(['--timeout', '--help'])).toBe(false);
  });
});

describe('completion reads argv with the same scanner', () => {
  const none = { webhookIds: async () => [] };
  it('a flag after an optional-value flag gets its own values (`listen --inspect --until <Tab>`)', async () => {
    const program = buildProgram(async () => {}, quiet);
    const r = await complete(program, ['webhooks', 'listen', '--inspect', '--until', ''], none);
    expect(r.candidates.map((c) => c.value)).toContain('task.completed');
  });
});

describe('help', () => {
  it('webhooks --help lists its subcommands in sections', async () => {
    const r = await runCli(['webhooks', '--help']);
    expect(r.code).toBe(0);
    const sections: Record<string, string[]> = {};
    let heading = '';
    for (const line of r.stdout.split('\n')) {
      if (/^\S.*:$/.test(line)) heading = line;
      else if (/^ {2}[a-z]/.test(line) && !['Options:', 'Global Options:', 'Examples:'].includes(heading))
        (sections[heading] ??= []).push(line.trim().split(/[\s|]/)[0]!);
    }
    // The sections the tree declares, each command in one of them (none under a stray heading).
    const group = TREE.find((n) => 'group' in n && n.group === 'webhooks') as TreeGroup;
    expect(sections).toEqual(group.sections);
    const names = group.commands.map((c) => ('group' in c ? c.group : c.id.split(' ').at(-1)!));
    expect(Object.values(sections).flat().sort(), 'every webhooks command is in a section of tree.ts').toEqual(
      names.sort(),
    );
  });

  it("a command's help names every global option once, in two lines; anchor --help describes them", async () => {
    const sub = await runCli(['webhooks', 'list', '--help']);
    const block = sub.stdout.split('Global Options:\n')[1]!.split('\n\n')[0]!;
    expect(block.split('\n')).toHaveLength(2);
    for (const def of TABLE) {
      expect(block).toContain(def.flags);
      expect(sub.stdout).not.toContain(def.help.slice(0, 20));
    }
    expect(block).toContain('`anchor --help` for details');
    const top = await runCli(['--help']);
    const topLines = top.stdout.split('\n');
    for (const def of TABLE) {
      const described = topLines.some((l) => l.startsWith(`  ${def.flags} `) && l.includes(def.help.slice(0, 20)));
      expect(described, def.flags).toBe(true);
    }
  });
});
