// The command lines the MCP tools build: every value is data. Positional values come last, after
// `--` (a flag after it would be read as a value), flag values are joined to their flag with `=`,
// and an id that leaves the safe set or starts with "-" is refused with the argument's name.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { buildTools, type ToolArgs } from '../../src/mcp/tools.js';
import { buildProgram } from '../../src/program.js';
import { declarationsOf } from '../../src/mcp/declarations.js';
import { ToolInputError } from '../../src/mcp/tool-input.js';

const declarations = declarationsOf(buildProgram(async () => {}, { writeOut: () => {}, writeErr: () => {} }));
const TOOLS = buildTools((id) => declarations.get(id)!);
const secretFile = (kind: string) => `/tmp/pending-${kind}.secret`;

/** Every argument of a tool given, each with a value starting with "-" where it is free text. */
function everyArgument(input: Record<string, z.ZodType>): ToolArgs {
  const args: ToolArgs = {};
  for (const [key, type] of Object.entries(input)) {
    const json = JSON.stringify((type as unknown as { toJSONSchema?: () => unknown }).toJSONSchema?.() ?? {});
    if (key === 'id') args[key] = 'wh_1';
    else if (key === 'record_ids') args[key] = ['rec_1', 'evt_2'];
    else if (key === 'confirm') args[key] = true;
    else if (json.includes('"boolean"')) args[key] = true;
    else if (json.includes('"integer"') || json.includes('"number"')) args[key] = 1;
    else if (json.includes('"array"')) args[key] = ['-x'];
    else args[key] = '-x';
  }
  return args;
}

describe('MCP tool command lines', () => {
  it('put positional values last, after "--", and join every flag value to its flag', () => {
    for (const tool of TOOLS) {
      const args = everyArgument(tool.input);
      const argv = tool.argv(args, { secretFile });
      expect(typeof argv, tool.name).not.toBe('string');
      const words = argv as string[];
      const cut = words.indexOf('--');
      const after = cut < 0 ? [] : words.slice(cut + 1);
      const expected =
        tool.name === 'replay'
          ? ['rec_1', 'evt_2']
          : 'id' in args
            ? ['wh_1']
            : tool.name === 'describe_event_type'
              ? ['-x']
              : [];
      expect(after, tool.name).toEqual(expected);
      // Before "--": the command words, then flags; a value is never a word of its own.
      const before = cut < 0 ? words : words.slice(0, cut);
      expect(
        before.filter((w) => !w.startsWith('-')),
        tool.name,
      ).toEqual(before.slice(0, 2));
      for (const w of before.slice(2)) expect(w, tool.name).toMatch(/^--[a-z-]+(=.*)?$/);
      expect(
        words.filter((w) => w === '-x'),
        tool.name,
      ).toHaveLength(tool.name === 'describe_event_type' ? 1 : 0);
    }
  });

  it('refuse an id that reads as an option or leaves the safe set, naming the argument', () => {
    const get = TOOLS.find((t) => t.name === 'get_webhook')!;
    for (const [id, why] of [
      ['-h', 'it starts with "-"'],
      ['--edit', 'it starts with "-"'],
      ['../x', 'it has characters other than letters, digits, "_" and "-"'],
      ['', 'it is empty'],
      ['a'.repeat(129), 'it is longer than 128 characters'],
    ] as const) {
      expect(() => get.argv({ id }, { secretFile }), id).toThrow(ToolInputError);
      expect(() => get.argv({ id }, { secretFile }), id).toThrow(`: ${why}.`);
    }
    expect(() => get.argv({ id: 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y' }, { secretFile })).not.toThrow();
    expect(() => get.argv({ id: '5d2c31f6-ab7e-481a-b6fd-8b4a96a4e197' }, { secretFile })).not.toThrow();
  });
});
