// What the single executable promises (`npm run build:binary`), checked on whatever the suite runs
// as anchor: the binary named by ANCHOR_TEST_BINARY in CI's binary run, the npm package otherwise.
// It needs no Node on PATH, reads nothing of the folder it runs in (Bun's standalone programs read
// .env and bunfig.toml there unless built not to), the user's NODE_OPTIONS does not reach it, and
// its checksum file is what `sha256sum -c` reads.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ROOT, TEST_BINARY, TEST_BINARY_RUNTIME, anchorCommand, isolatedEnv, runBin } from '../helpers/bin.js';
import { sampleWebhook, startScriptServer, type ScriptServer } from '../helpers/script-server.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
/** The Bun inside the binary (scripts/bun.mjs). */
const BUN_VERSION = /export const BUN_VERSION = '([^']+)';/.exec(
  readFileSync(join(ROOT, 'scripts', 'bun.mjs'), 'utf8'),
)![1];

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

  it('names the runtime that runs it in its User-Agent: the binary its Bun, the package this Node', async () => {
    server = await startScriptServer();
    server.expect('GET', '/v1/webhooks', { body: { webhooks: [] } });
    const r = await runBin(['webhooks', 'list', '--json'], {
      env: isolatedEnv({ ANCHOR_API_URL: server.url, ANCHOR_API_KEY: 'ua-key-1234' }),
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const agent = String(server.seen[0]!.headers['user-agent']);
    if (TEST_BINARY_RUNTIME === 'bun') expect(agent).toBe(`anchor-cli/${pkg.version} (bun ${BUN_VERSION}; linux)`);
    // The SEA candidate: the Node it embeds (scripts/build-binary-sea.mjs's SEA_LINE).
    else if (TEST_BINARY_RUNTIME === 'node') expect(agent).toMatch(/^anchor-cli\/\S+ \(node v\d+\.\d+\.\d+; linux\)$/);
    else expect(agent).toBe(`anchor-cli/${pkg.version} (node ${process.version}; linux)`);
  });

  it('reads nothing of the folder it runs in: not its .env, nor a bunfig.toml that preloads code', async () => {
    const project = mkdtempSync(join(tmpdir(), 'anchor-project-'));
    writeFileSync(join(project, '.env'), 'ANCHOR_API_KEY=key-from-a-dotenv-file\nANCHOR_API_URL=http://127.0.0.1:9\n');
    writeFileSync(join(project, 'preload.js'), 'console.log("PRELOADED BY BUNFIG"); process.exit(42);\n');
    writeFileSync(join(project, 'bunfig.toml'), 'preload = ["./preload.js"]\n');
    const r = await runBin(['webhooks', 'list', '--json'], { env: isolatedEnv(), cwd: project });
    expect(r.stdout).not.toContain('PRELOADED');
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'auth' } });
  });

  // A pipe holds 64 KiB: the rest of a larger output is still queued when anchor is done. Bun called
  // back an empty write at once, and the process exited with the output cut at 64 KiB.
  it('a large --json output to a reader that starts late arrives whole (600 webhooks, ~190 KB)', async () => {
    server = await startScriptServer();
    const webhooks = Array.from({ length: 600 }, (_, i) => ({
      ...sampleWebhook,
      id: `wh_01HXJ4MZ7K9P3Q6R8S2T${String(i).padStart(6, '0')}`,
      description: `webhook ${i} `.padEnd(200, '.'),
    }));
    server.expect('GET', '/v1/webhooks', { body: { webhooks } });
    const child = spawn(...anchorCommand(['webhooks', 'list', '--json']), {
      env: isolatedEnv({ ANCHOR_API_URL: server.url, ANCHOR_API_KEY: 'big-output-key' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pause();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // The reader starts once anchor has exited (it could only if it dropped the rest) or after 1.5 s.
    await Promise.race([exited, new Promise((r) => setTimeout(r, 1_500))]);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stdout.resume();
    await new Promise((r) => child.stdout.on('end', r));
    expect(await exited, stderr).toBe(0);
    const out = Buffer.concat(chunks).toString('utf8');
    expect(out.length).toBeGreaterThan(150_000);
    expect((JSON.parse(out) as Array<{ id: string }>).map((w) => w.id)).toEqual(webhooks.map((w) => w.id));
  });

  it("Bun's verbose-fetch variable does not print the API key", async () => {
    server = await startScriptServer();
    server.expect('GET', '/v1/webhooks', { body: { webhooks: [] } });
    const key = 'sk-debug-env-secret-5678';
    const r = await runBin(['webhooks', 'list'], {
      env: isolatedEnv({
        ANCHOR_API_URL: server.url,
        ANCHOR_API_KEY: key,
        BUN_CONFIG_VERBOSE_FETCH: 'curl',
      }),
    });
    expect(r.code).toBe(0);
    expect(server.seen).toHaveLength(1);
    expect(r.stdout + r.stderr).not.toContain(key);
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
