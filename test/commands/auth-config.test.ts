// Credentials and settings: login/status/logout, config, profiles, lookup order, file modes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { runCli } from '../helpers/io.js';
import { projectEnv } from '../helpers/env.js';

let emu: CheckedEmulator;
beforeAll(async () => {
  emu = await startCheckedEmulator({ apiKeys: ['good-key-1111', 'other-key-2222'], allowLocalTargets: false });
});
afterAll(async () => {
  // Every response the CLI received in this suite is one the OpenAPI document allows.
  expect(emu.responses()).toBeGreaterThan(10);
  expect(emu.violations).toEqual([]);
  await emu.close();
});

/** An environment with no key in it: only what login stores. */
function loggedOutEnv() {
  const env = projectEnv(emu.url);
  delete env.ANCHOR_API_KEY;
  return env;
}

describe('auth login', () => {
  it('--with-key reads stdin, checks the key, stores it 0600 in a 0700 folder', async () => {
    const env = loggedOutEnv();
    const r = await runCli(['auth', 'login', '--with-key'], { env, stdin: 'good-key-1111\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('…1111');
    expect(r.stdout).not.toContain('good-key-1111');
    const file = join(env.ANCHOR_CONFIG_DIR!, 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(env.ANCHOR_CONFIG_DIR!).mode & 0o777).toBe(0o700);
    // The key was checked against ANCHOR_API_URL's API: the URL is stored with it.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      profiles: { default: { 'api-key': 'good-key-1111', 'api-url': emu.url } },
    });
    const list = await runCli(['webhooks', 'list', '--json'], { env });
    expect(list.code).toBe(0);
  });

  it('a key the API refuses is not stored (exit 4); --no-verify stores it unchecked', async () => {
    const env = loggedOutEnv();
    const bad = await runCli(['auth', 'login', '--with-key'], { env, stdin: 'bad-key-9999' });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain('nothing was saved');
    expect(bad.stderr).not.toContain('bad-key-9999');
    expect((await runCli(['webhooks', 'list'], { env })).code).toBe(4);
    const unchecked = await runCli(['auth', 'login', '--with-key', '--no-verify', '--json'], {
      env,
      stdin: 'bad-key-9999',
    });
    expect(unchecked.code).toBe(0);
    expect(JSON.parse(unchecked.stdout)).toMatchObject({ profile: 'default', verified: false, key: '…9999' });
  });

  it('without a terminal and without --with-key it refuses, naming --with-key', async () => {
    const r = await runCli(['auth', 'login'], { env: loggedOutEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--with-key');
  });

  it('in a terminal it asks with a masked prompt', async () => {
    const env = loggedOutEnv();
    const r = await runCli(['auth', 'login'], { env, tty: true, keys: [...'good-key-1111', '\r'] });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Anchor API key');
    expect(r.stderr).not.toContain('good-key-1111');
    expect(r.stderr).toContain('*************');
  });

  it('profiles keep separate keys', async () => {
    const env = loggedOutEnv();
    await runCli(['auth', 'login', '--with-key'], { env, stdin: 'good-key-1111' });
    await runCli(['auth', 'login', '--with-key', '--profile', 'other'], { env, stdin: 'other-key-2222' });
    const a = JSON.parse((await runCli(['auth', 'status', '--json'], { env })).stdout);
    const b = JSON.parse((await runCli(['auth', 'status', '--json', '--profile', 'other'], { env })).stdout);
    expect(a).toMatchObject({ profile: 'default', key: '…1111', valid: true });
    expect(b).toMatchObject({ profile: 'other', key: '…2222', valid: true });
    const viaEnv = JSON.parse(
      (await runCli(['auth', 'status', '--json'], { env: { ...env, ANCHOR_PROFILE: 'other' } })).stdout,
    );
    expect(viaEnv.profile).toBe('other');
  });
});

describe('auth status and logout', () => {
  it('the lookup order is ANCHOR_API_KEY, ANCHORBROWSER_API_KEY, then the stored key', async () => {
    const env = loggedOutEnv();
    await runCli(['auth', 'login', '--with-key'], { env, stdin: 'good-key-1111' });
    const stored = JSON.parse((await runCli(['auth', 'status', '--json'], { env })).stdout);
    expect(stored.key_source).toBe(join(env.ANCHOR_CONFIG_DIR!, 'config.json'));
    const sdk = JSON.parse(
      (await runCli(['auth', 'status', '--json'], { env: { ...env, ANCHORBROWSER_API_KEY: 'other-key-2222' } })).stdout,
    );
    expect(sdk).toMatchObject({ key_source: 'ANCHORBROWSER_API_KEY', key: '…2222' });
    const ours = JSON.parse(
      (
        await runCli(['auth', 'status', '--json'], {
          env: { ...env, ANCHORBROWSER_API_KEY: 'other-key-2222', ANCHOR_API_KEY: 'good-key-1111' },
        })
      ).stdout,
    );
    expect(ours).toMatchObject({ key_source: 'ANCHOR_API_KEY', key: '…1111' });
  });

  it('status shows the profile, URL and its source, the masked key and whether it is accepted', async () => {
    const env = loggedOutEnv();
    await runCli(['auth', 'login', '--with-key'], { env, stdin: 'good-key-1111' });
    const r = await runCli(['auth', 'status'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`API URL:   ${emu.url} (ANCHOR_API_URL)`);
    expect(r.stdout).toContain('…1111');
    expect(r.stdout).toContain('Accepted:  yes');
    expect(r.stdout + r.stderr).not.toContain('good-key-1111');
    const bad = await runCli(['auth', 'status'], { env: { ...env, ANCHOR_API_KEY: 'nope-0000' } });
    expect(bad.code).toBe(4);
    expect(bad.stdout).toContain('Accepted:  no');
  });

  it('logout forgets the stored key; status then says so with exit 4', async () => {
    const env = loggedOutEnv();
    await runCli(['auth', 'login', '--with-key'], { env, stdin: 'good-key-1111' });
    const out = await runCli(['auth', 'logout'], { env });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Forgot the stored key');
    expect(readFileSync(join(env.ANCHOR_CONFIG_DIR!, 'config.json'), 'utf8')).not.toContain('good-key-1111');
    const status = await runCli(['auth', 'status', '--json'], { env });
    expect(status.code).toBe(4);
    expect(JSON.parse(status.stdout)).toMatchObject({ logged_in: false });
    expect(JSON.parse(status.stderr).error.code).toBe('auth');
  });
});

describe('config', () => {
  it('set validates, get/list/unset work per profile, path names the file', async () => {
    const env = loggedOutEnv();
    delete env.ANCHOR_API_URL;
    const bad = await runCli(['config', 'set', 'api-url', 'ftp://x'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('api-url');
    const unknown = await runCli(['config', 'set', 'colour', 'red'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Settings: api-url');
    expect((await runCli(['config', 'set', 'api-url', emu.url], { env })).code).toBe(0);
    expect((await runCli(['config', 'get', 'api-url'], { env })).stdout).toBe(`${emu.url}\n`);
    expect((await runCli(['config', 'list', '--json'], { env })).stdout).toContain(emu.url);
    expect((await runCli(['config', 'get', 'api-url', '--profile', 'other'], { env })).stdout).toBe('');
    // The stored api-url is used when nothing else is given.
    await runCli(['auth', 'login', '--with-key'], { env, stdin: 'good-key-1111' });
    const status = JSON.parse((await runCli(['auth', 'status', '--json'], { env })).stdout);
    expect(status).toMatchObject({ api_url: emu.url, valid: true });
    expect((await runCli(['config', 'unset', 'api-url'], { env })).code).toBe(0);
    expect((await runCli(['config', 'get', 'api-url'], { env })).stdout).toBe('');
    expect((await runCli(['config', 'path'], { env })).stdout).toBe(`${join(env.ANCHOR_CONFIG_DIR!, 'config.json')}\n`);
  });

  it('a corrupt config file: a clear error with its path and the fix, no stack', async () => {
    const env = loggedOutEnv();
    mkdirSync(env.ANCHOR_CONFIG_DIR!, { recursive: true });
    const file = join(env.ANCHOR_CONFIG_DIR!, 'config.json');
    writeFileSync(file, '{"profiles": {', { mode: 0o600 });
    const r = await runCli(['webhooks', 'list'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file} is not valid JSON`);
    expect(r.stderr).toContain(`rm ${file}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a config path that cannot be read as a file: a clear error with its path, no stack', async () => {
    const env = loggedOutEnv();
    mkdirSync(join(env.ANCHOR_CONFIG_DIR!, 'config.json'), { recursive: true });
    const r = await runCli(['auth', 'login', '--with-key', '--no-verify'], { env, stdin: 'key-1234' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot use the config file ${join(env.ANCHOR_CONFIG_DIR!, 'config.json')} (EISDIR`);
    expect(r.stderr).toContain('move it away');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a config file others can read is refused with the chmod fix', async () => {
    const env = loggedOutEnv();
    mkdirSync(env.ANCHOR_CONFIG_DIR!, { recursive: true });
    const file = join(env.ANCHOR_CONFIG_DIR!, 'config.json');
    writeFileSync(file, '{"profiles":{}}');
    chmodSync(file, 0o644);
    const r = await runCli(['auth', 'status'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`chmod 600 ${file}`);
  });
});
