// The built binary against the emulator, as a user or a CI script would run it: every command,
// --json through real jq, the once-only secret, and HTTPS through a CONNECT proxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCert } from '../helpers/tls.js';
import { isolatedEnv, runBin, startBinEmulator, type BinEmulator, anchorCommand } from '../helpers/bin.js';
import { lacks } from '../helpers/tools.js';

let emu: BinEmulator;
beforeAll(async () => {
  emu = await startBinEmulator(['--allow-local-targets']);
});
afterAll(async () => {
  await emu.stop();
});

function userEnv(extra: Record<string, string> = {}) {
  return isolatedEnv({ ANCHOR_API_URL: emu.url, ...extra });
}

/** Runs a shell pipeline with the binary as `anchor`. */
function sh(script: string, env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', script], {
    env: { ...env, ANCHOR: anchorCommand().flat().join(' ') },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('webhooks from the built binary', () => {
  it.skipIf(lacks('jq'))(
    'login, create, list, get, update, disable/enable, rotate, delete; --json read by jq',
    async () => {
      const env = userEnv();
      const login = await runBin(['auth', 'login', '--with-key'], { env, input: 'e2e-user-key-4242' });
      expect(login.code).toBe(0);
      const cfgDir = join(env.XDG_CONFIG_HOME!, 'anchor');
      expect(statSync(join(cfgDir, 'config.json')).mode & 0o777).toBe(0o600);
      expect(statSync(cfgDir).mode & 0o777).toBe(0o700);

      const secretDir = mkdtempSync(join(tmpdir(), 'anchor-e2e-secret-'));
      const created = sh(
        `$ANCHOR webhooks create --url https://hooks.example.com/anchor --event task.completed,task.failed --description e2e --secret-file ${secretDir}/s --json | jq -r .id`,
        env,
      );
      expect(created.code).toBe(0);
      const id = created.stdout.trim();
      expect(id).toMatch(/^wh_[0-9A-Z]{26}$/);

      const ids = sh(`$ANCHOR webhooks list --json | jq -r '.[].id'`, env);
      expect(ids.stdout.trim()).toBe(id);
      const events = sh(`$ANCHOR webhooks get ${id} --json | jq -r '.subscribed_events | join(",")'`, env);
      expect(events.stdout.trim()).toBe('task.completed,task.failed');
      const updated = sh(
        `$ANCHOR webhooks update ${id} --add-event session.failed --json | jq -c .subscribed_events`,
        env,
      );
      expect(updated.stdout.trim()).toBe('["task.completed","task.failed","session.failed"]');
      expect(sh(`$ANCHOR webhooks disable ${id} --json | jq .enabled`, env).stdout.trim()).toBe('false');
      expect(sh(`$ANCHOR webhooks enable ${id} --json | jq .enabled`, env).stdout.trim()).toBe('true');
      const rotated = sh(`$ANCHOR webhooks rotate-secret ${id} --yes --json | jq -r '.secret | length'`, env);
      expect(rotated.stdout.trim()).toBe('64');
      const deleted = sh(`$ANCHOR webhooks delete ${id} --yes --json | jq -c .`, env);
      expect(deleted.stdout.trim()).toBe(`{"id":"${id}","deleted":true}`);
      const gone = await runBin(['webhooks', 'get', id], { env });
      expect(gone.code).toBe(5);
    },
  );

  it('the secret is shown once and nowhere else: not on stderr, not in --debug, not in the config folder', async () => {
    const env = userEnv({ ANCHOR_API_KEY: 'canary-api-key-31337' });
    const r = await runBin(
      ['webhooks', 'create', '--url', 'https://hooks.example.com/x', '--event', 'task.completed', '--debug'],
      { env },
    );
    expect(r.code).toBe(0);
    const secret = r.stdout.match(/\n {4}([0-9a-f]{64})\n/)![1]!;
    expect(r.stdout.split(secret).length - 1).toBe(1);
    expect(r.stderr).not.toContain(secret);
    expect(r.stderr).not.toContain('canary-api-key-31337');
    expect(r.stderr).toContain('[REDACTED]');
    const list = await runBin(['webhooks', 'list', '--json', '--debug'], { env });
    expect(list.stdout + list.stderr).not.toContain(secret);
    const files = (() => {
      try {
        return readdirSync(join(env.XDG_CONFIG_HOME!, 'anchor')).map((f) =>
          readFileSync(join(env.XDG_CONFIG_HOME!, 'anchor', f), 'utf8'),
        );
      } catch {
        return [];
      }
    })();
    for (const f of files) expect(f).not.toContain(secret);
    // The emulator logs requests, never keys or secrets.
    expect(emu.stderr()).not.toContain(secret);
    expect(emu.stderr()).not.toContain('canary-api-key-31337');
  });

  it.skipIf(lacks('jq'))('exit codes: 0, 2, 3, 4, 5 and JSON errors that jq can read', async () => {
    const env = userEnv({ ANCHOR_API_KEY: 'exit-codes-key' });
    expect((await runBin(['webhooks', 'list'], { env })).code).toBe(0);
    expect(
      (await runBin(['webhooks', 'create', '--url', 'http://x.example.com', '--event', 'task.completed'], { env }))
        .code,
    ).toBe(2);
    expect((await runBin(['webhooks', 'get', 'wh_missing'], { env })).code).toBe(5);
    const noKey = await runBin(['webhooks', 'list', '--json'], { env: userEnv() });
    expect(noKey.code).toBe(4);
    expect(noKey.stdout).toBe('');
    expect(execFileSync('jq', ['-r', '.error.code'], { input: noKey.stderr }).toString().trim()).toBe('auth');
    for (let i = 0; i < 5; i++)
      await runBin(
        ['webhooks', 'create', '--url', `https://h.example.com/${i}`, '--event', 'task.completed', '--json'],
        { env },
      );
    const sixth = await runBin(
      ['webhooks', 'create', '--url', 'https://h.example.com/6', '--event', 'task.completed', '--json'],
      { env },
    );
    expect(sixth.code).toBe(3);
    expect(JSON.parse(sixth.stderr).error).toMatchObject({ code: 'api_refused', status: 409 });
  });
});

describe.skipIf(lacks('openssl'))('HTTPS_PROXY', () => {
  it('tunnels to an https API through CONNECT, and NO_PROXY bypasses it', async () => {
    const tls = selfSignedCert('api.anchor.test');
    const seenKeys: string[] = [];
    const api = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      seenKeys.push(String(req.headers['anchor-api-key']));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"webhooks":[]}');
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const apiPort = (api.address() as net.AddressInfo).port;
    const connects: string[] = [];
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, socket: net.Socket, head) => {
      connects.push(String(req.url));
      const upstream = net.connect(apiPort, '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyPort = (proxy.address() as net.AddressInfo).port;
    try {
      const env = isolatedEnv({
        ANCHOR_API_URL: `https://api.anchor.test:${apiPort}`,
        ANCHOR_API_KEY: 'proxied-key',
        HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`,
        NODE_EXTRA_CA_CERTS: tls.certPath,
      });
      const r = await runBin(['webhooks', 'list', '--json'], { env });
      expect(r.stderr).toBe('');
      expect(r).toMatchObject({ code: 0, stdout: '[]\n' });
      expect(connects).toEqual([`api.anchor.test:${apiPort}`]);
      expect(seenKeys).toEqual(['proxied-key']);

      const bypass = await runBin(['webhooks', 'list', '--timeout', '3'], { env: { ...env, NO_PROXY: 'anchor.test' } });
      expect(bypass.code).toBe(1);
      expect(bypass.stderr).toContain('cannot resolve api.anchor.test');
      expect(connects).toHaveLength(1);
    } finally {
      proxy.close();
      api.close();
    }
  });
});
