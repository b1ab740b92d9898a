// Adding a global option is one entry in the table: with a made-up `--region <name>` added (in this
// test file's own module instance), it parses before and after the command words, does not count
// as a command word for help or completion, and help lists it. (Before the table, such an option
// added to the tree alone broke `anchor --region eu events list` with "too many arguments".)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete } from '../../src/completion/engine.js';
import { GLOBAL_OPTIONS, parseGlobals, type GlobalOptionDef } from '../../src/globals.js';
import { printHelp } from '../../src/help.js';
import { buildProgram, type RawInput } from '../../src/program.js';
import { runCli } from '../helpers/io.js';

const region: GlobalOptionDef = {
  key: 'region',
  flags: '--region <name>',
  help: 'the region to talk to',
  example: 'eu',
  parse: (raw) => (raw === undefined ? undefined : String(raw)),
};
const table = GLOBAL_OPTIONS as unknown as GlobalOptionDef[];
beforeAll(() => void table.push(region));
afterAll(() => void table.splice(table.indexOf(region), 1));

const quiet = { writeOut: () => {}, writeErr: () => {} };

describe('a global option added to the table', () => {
  it.each([
    [['--region', 'eu', 'events', 'list', '--json'], 'events list'],
    [['events', 'list', '--json', '--region', 'eu'], 'events list'],
    [['--region=eu', 'events', 'list', '--json'], 'events list'],
    [['--region', 'eu', 'webhooks', 'received', '--json'], 'webhooks received list'],
    [['webhooks', 'received', '--json', '--region', 'eu'], 'webhooks received list'],
  ])('%j runs %s with the value parsed', async (argv, id) => {
    let got: { id: string; input: RawInput } | undefined;
    await buildProgram(async (ran, input) => void (got = { id: ran, input }), quiet).parseAsync(argv, { from: 'user' });
    expect(got?.id).toBe(id);
    expect((parseGlobals(got!.input.globals, {}) as Record<string, unknown>).region).toBe('eu');
    const r = await runCli(argv);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('is not a command word for help (fast path and main) or completion, and help lists it', async () => {
    let fast = '';
    expect(printHelp(['--region', 'eu', 'webhooks', '--help'], (s) => (fast += s))).toBe(0);
    expect(fast).toContain('Usage: anchor webhooks');
    expect(fast).toContain('--region <name>');
    const viaMain = await runCli(['--region', 'eu', 'webhooks', 'received', 'sho']);
    expect(viaMain.stderr).toContain('unknown command \'sho\'. Did you mean "show"?');
    const top = await runCli(['--help']);
    expect(top.stdout).toMatch(/\n {2}--region <name> +the region to talk to\n/);
    const program = buildProgram(async () => {}, quiet);
    const r = await complete(program, ['--region', 'eu', 'webhooks', 'li'], { webhookIds: async () => [] });
    expect(r.candidates.map((c) => c.value)).toEqual(['list', 'listen']);
  });
});
