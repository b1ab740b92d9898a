// The tools `anchor mcp` lists, with input schemas made from the command declarations: the
// committed docs/mcp-tools.json equals a fresh listing from the built binary, so a changed flag,
// argument or description reaches the tools only as a reviewed diff.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listedTools, REGENERATE, TOOLS_FILE } from '../../scripts/mcp-tools.mjs';
import { ROOT } from '../helpers/bin.js';

describe('committed MCP tool listing', () => {
  it('equals what the server lists', async () => {
    const committed = readFileSync(join(ROOT, TOOLS_FILE), 'utf8');
    const fresh = await listedTools();
    expect(
      fresh,
      `${TOOLS_FILE} is out of date with the tools and the command declarations: run \`${REGENERATE}\` and commit the result`,
    ).toBe(committed);
  });
});
