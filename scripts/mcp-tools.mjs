// `npm run mcp-tools`: writes docs/mcp-tools.json, the tools `anchor mcp` lists (names, input
// schemas as JSON Schema, annotations) as the SDK's own client reads them from the built binary.
// The schemas are made from the command declarations; test/e2e/mcp-tools.test.ts checks that the
// committed file equals a fresh listing, so a changed flag shows up as a reviewed diff.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const TOOLS_FILE = 'docs/mcp-tools.json';
export const REGENERATE = 'npm run mcp-tools';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The listing as committed: every tool, sorted by name, as JSON formatted as Prettier keeps it. */
export async function listedTools() {
  // A home of its own: nothing of the caller's configuration changes what is listed.
  const home = mkdtempSync(join(tmpdir(), 'anchor-mcp-tools-'));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['bin/anchor.cjs', 'mcp', '--secret-dir', join(home, 'secrets')],
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: home, XDG_STATE_HOME: home },
    stderr: 'inherit',
  });
  const client = new Client({ name: 'anchor-mcp-tools', version: '1.0.0' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    const sorted = [...tools].sort((a, b) => a.name.localeCompare(b.name));
    const file = join(root, TOOLS_FILE);
    const options = (await prettier.resolveConfig(file)) ?? {};
    return prettier.format(JSON.stringify(sorted), { ...options, filepath: file });
  } finally {
    await client.close();
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL(`../${TOOLS_FILE}`, import.meta.url), await listedTools());
  console.log(`wrote ${TOOLS_FILE}`);
}
