// What the single executable promises (`npm run build:binary`), checked on whatever the suite runs
// as anchor: the binary named by ANCHOR_TEST_BINARY in CI's binary run, the npm package otherwise.
// It needs no Node on PATH, the user's NODE_OPTIONS does not reach it, and its checksum file is
// what `sha256sum -c` reads.
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ROOT, TEST_BINARY, isolatedEnv, runBin } from '../helpers/bin.js';
import { startScriptServer, type ScriptServer } from '../helpers/script-server.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

let server: ScriptServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('anchor as users run it', () => {
  it('runs with nothing on PATH: --version, --help, events list --json, a completion query', async () => {
    const env = isolatedEnv({ PATH: '/nonexistent-anchor-path' });
    expect(await runBin(['--version'], { env })).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const help = await runBin(['--help'], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: anchor/);
    const events = await runBin(['events', 'list', '--json'], { env });
    expect(events.code).toBe(0);
    expect((JSON.parse(events.stdout) as Array<{ type: string }>).map((e) => e.type)).toContain('task.completed');
    const complete = await runBin(['__complete', 'webhooks', 'cr'], { env });
    expect(complete.stdout).toMatch(/^create\t/m);
  });

  it('names the Node that runs it in its User-Agent: the binary its own, the package this one', async () => {
    server = await startScriptServer();
    server.expect('GET', '/v1/webhooks', { body: { webhooks: [] } });
    const r = await runBin(['webhooks', 'list', '--json'], {
      env: isolatedEnv({ ANCHOR_API_URL: server.url, ANCHOR_API_KEY: 'ua-key-1234' }),
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const agent = String(server.seen[0]!.headers['user-agent']);
    expect(agent).toMatch(
      new RegExp(`^anchor-cli/${pkg.version.replace(/\./g, '\\.')} \\(node v\\d+\\.\\d+\\.\\d+; linux\\)$`),
    );
    // The binary's Node is the line build-binary.mjs embeds (CI runs it beside that same line).
    const seaLine = /const SEA_LINE = (\d+);/.exec(readFileSync(join(ROOT, 'scripts', 'build-binary.mjs'), 'utf8'))![1];
    if (TEST_BINARY) expect(agent).toContain(`node v${seaLine}.`);
    else expect(agent).toContain(`node ${process.version};`);
  });

  // Only a binary has a checksum file, and only the binary is free of NODE_OPTIONS (the package
  // is Node itself): declared in the binary run alone, rather than skipped in the others.
  if (TEST_BINARY)
    it('the binary: its .sha256 is sha256sum’s line for it, and NODE_OPTIONS does not reach it', async () => {
      const bytes = readFileSync(TEST_BINARY!);
      expect(readFileSync(`${TEST_BINARY}.sha256`, 'utf8')).toBe(
        `${createHash('sha256').update(bytes).digest('hex')}  ${basename(TEST_BINARY!)}\n`,
      );
      // A --require of the user's own Node setup would make Node fail at start.
      const env = isolatedEnv({ NODE_OPTIONS: '--require /nonexistent-anchor-preload.cjs' });
      expect(await runBin(['--version'], { env })).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
      expect((await runBin(['events', 'list', '--json'], { env })).code).toBe(0);
    });
});
