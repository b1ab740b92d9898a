// What the MCP tools hand their commands: every value is data. Positional values are the command's
// words, flag values are the raw values of declared flags (never words, so never read as options),
// and an id that leaves the safe set or starts with "-" is refused with the argument's name.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { buildTools, type ToolArgs } from '../../src/mcp/tools.js';
import { specById } from '../../src/commands/tree-lookup.js';
import { ToolInputError } from '../../src/mcp/tool-input.js';
import type { CommandRequest } from '../../src/mcp/tool-def.js';

const TOOLS = buildTools();
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

describe('MCP tool requests', () => {
  it('give positional values as words and every other value as the raw value of a declared flag', () => {
    for (const tool of TOOLS) {
      const args = everyArgument(tool.input);
      const request = tool.request(args, { secretFile });
      expect(typeof request, tool.name).not.toBe('string');
      const { flags, words } = request as CommandRequest;
      const expected =
        tool.name === 'replay'
          ? ['rec_1', 'evt_2']
          : 'id' in args
            ? ['wh_1']
            : ['describe_event_type', 'check_receiver', 'trigger_event'].includes(tool.name)
              ? ['-x']
              : [];
      expect(words, tool.name).toEqual(expected);
      // Each flag is one the command declares, and its value is a string, a list of them or a switch.
      const declared = Object.keys(specById(tool.command).flags);
      for (const [key, value] of Object.entries(flags)) {
        expect(declared, `${tool.name}: ${key}`).toContain(key);
        expect(
          typeof value === 'string' ||
            typeof value === 'boolean' ||
            (Array.isArray(value) && value.every((v) => typeof v === 'string')),
          `${tool.name}: ${key}`,
        ).toBe(true);
      }
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
      expect(() => get.request({ id }, { secretFile }), id).toThrow(ToolInputError);
      expect(() => get.request({ id }, { secretFile }), id).toThrow(`: ${why}.`);
    }
    expect(() => get.request({ id: 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y' }, { secretFile })).not.toThrow();
    expect(() => get.request({ id: '5d2c31f6-ab7e-481a-b6fd-8b4a96a4e197' }, { secretFile })).not.toThrow();
  });
});

describe('MCP tool schemas', () => {
  it("describe each argument in the tools' words: no description names a command-line flag", () => {
    for (const tool of TOOLS)
      for (const [name, type] of Object.entries(tool.input)) {
        const description = (type as unknown as { toJSONSchema: () => { description?: string } }).toJSONSchema()
          .description;
        expect(description, `${tool.name}.${name}`).toBeDefined();
        expect(description, `${tool.name}.${name}`).not.toMatch(/(^|[^\w-])--[a-z]/);
      }
  });
});
