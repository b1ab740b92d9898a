// Input from outside that is not a request: a config file edited by hand or left in odd shapes, a
// stale lock, a shared folder, API keys that cannot be sent, and API answers that echo the key.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/io.js';
import { isolatedEnv, anchorCommand } from '../helpers/bin.js';
import { startScriptServer, type ScriptServer } from '../helpers/script-server.js';

const servers: ScriptServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    expect(s.unexpected).toEqual([]);
    await s.close();
  }
});

function configFolder(content?: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'anchor-hostile-cfg-'));
  const file = join(dir, 'config.json');
  if (content !== undefined) writeFileSync(file, content, { mode: 0o600 });
  return { dir, file };
}

describe('the config file', () => {
  it('a stale lock that cannot be removed ends the command with a clear error, not a busy loop (the built binary)', async () => {
    const { dir, file } = configFolder('{"profiles":{}}');
    // A folder where the lock file goes: unlink() fails with EISDIR however often it is tried.
    mkdirSync(`${file}.lock`);
    const old = new Date(Date.now() - 3600_000);
    utimesSync(`${file}.lock`, old, old);
    const env = isolatedEnv({ ANCHOR_CONFIG_DIR: dir });
    const child = spawn(...anchorCommand(['auth', 'login', '--with-key', '--no-verify']), {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end('lock-test-key-12345');
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('still running after 20 s: the lock wait has no deadline'));
      }, 20_000);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(1);
    expect(stderr).toContain('is locked (a stale lock that cannot be removed: EISDIR)');
    expect(stderr).toContain(`remove ${file}.lock`);
    expect(readFileSync(file, 'utf8')).toBe('{"profiles":{}}');
  }, 30_000);

  it('a shared folder (1777) is not chmodded: it is warned about; a folder anchor creates is 0700', async () => {
    const { dir } = configFolder();
    chmodSync(dir, 0o1777);
    const r = await runCli(['auth', 'login', '--with-key', '--no-verify'], {
      env: { ANCHOR_CONFIG_DIR: dir },
      stdin: 'shared-folder-key-1234',
    });
    expect(r.code).toBe(0);
    expect(statSync(dir).mode & 0o7777).toBe(0o1777);
    expect(r.stderr).toContain(`the config folder ${dir} can be written by other users (mode 1777)`);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);

    const fresh = join(configFolder().dir, 'a', 'b');
    const made = await runCli(['auth', 'login', '--with-key', '--no-verify'], {
      env: { ANCHOR_CONFIG_DIR: fresh },
      stdin: 'fresh-folder-key-1234',
    });
    expect(made.code).toBe(0);
    expect(made.stderr).not.toContain('Warning');
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    expect(statSync(join(fresh, '..')).mode & 0o777).toBe(0o700);
  });

  it.each([
    ['[]', 'the whole file is an array, not an object'],
    ['"text"', 'the whole file is a string, not an object'],
    ['null', 'the whole file is null, not an object'],
    ['{"profiles":"x"}', '"profiles" is a string, not an object'],
    ['{"profiles":{"default":"abc"}}', 'profiles.default is a string, not an object'],
    ['{"profiles":{"default":["k"]}}', 'profiles.default is an array, not an object'],
    ['{"profiles":{"default":{"api-key":5}}}', 'profiles.default.api-key is a number, not a string'],
  ])('%s is refused with the place and the fix, and left as it was', async (content, what) => {
    const { dir, file } = configFolder(content);
    for (const argv of [
      ['auth', 'login', '--with-key', '--no-verify'],
      ['config', 'set', 'api-url', 'https://api.example.com'],
      ['webhooks', 'list'],
    ]) {
      const r = await runCli(argv, { env: { ANCHOR_CONFIG_DIR: dir }, stdin: 'odd-shape-key-12345' });
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toContain(`the config file ${file} has an unexpected shape: ${what}`);
      expect(r.stderr).toContain('anchor has not changed it');
      expect(r.stderr).not.toMatch(/this is a bug/);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  });

  it('an api-url edited by hand into something that is not a URL: exit 2 naming the file and the fix', async () => {
    const { dir, file } = configFolder(
      JSON.stringify({ profiles: { default: { 'api-key': 'hand-edited-key-1234', 'api-url': 'not a url' } } }),
    );
    const r = await runCli(['webhooks', 'list'], { env: { ANCHOR_CONFIG_DIR: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `the config file ${file} has an invalid api-url "not a url": not a URL (profile "default")`,
    );
    expect(r.stderr).toContain('anchor config set api-url');
    expect(r.stderr).not.toMatch(/this is a bug/);
  });
});

describe('a config file another user owns', () => {
  // Run as root (the suite's machine): the file is handed to a uid that is not ours.
  const OTHER = 12345;
  const planted = (api: string) =>
    JSON.stringify({ profiles: { default: { 'api-key': 'planted-key-12345', 'api-url': api } } });

  it('is refused (exit 1) with its path, the owner and both fixes; no request is sent, even with ANCHOR_API_KEY set, and the file is left as it was', async () => {
    const api = await startScriptServer();
    servers.push(api);
    const content = planted(api.url);
    const { dir, file } = configFolder(content);
    chownSync(file, OTHER, OTHER);
    for (const [argv, env] of [
      [['webhooks', 'list'], {}],
      // The user's own key from the environment would go to the api-url the other user chose.
      [['webhooks', 'list'], { ANCHOR_API_KEY: 'users-own-key-12345' }],
      [['auth', 'login', '--with-key', '--no-verify'], {}],
      [['config', 'set', 'api-url', 'https://api.example.com'], {}],
    ] as const) {
      const r = await runCli([...argv], { env: { ANCHOR_CONFIG_DIR: dir, ...env }, stdin: 'login-key-12345' });
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toContain(
        `the config file ${file} belongs to another user (uid ${OTHER}; anchor runs as uid 0)`,
      );
      expect(r.stderr).toContain(`sudo chown 0 ${file}`);
      expect(r.stderr).toContain('ANCHOR_CONFIG_DIR');
      expect(r.stderr).not.toMatch(/this is a bug|users-own-key|planted-key/);
      expect(readFileSync(file, 'utf8')).toBe(content);
      expect(statSync(file).uid).toBe(OTHER);
    }
    expect(api.seen).toEqual([]);
  });

  it('in a config folder another user owns, a login of ours is stored with a warning that names the folder and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-foreign-folder-'));
    chownSync(dir, OTHER, OTHER);
    const r = await runCli(['auth', 'login', '--with-key', '--no-verify'], {
      env: { ANCHOR_CONFIG_DIR: dir },
      stdin: 'login-key-12345',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Warning: the config folder ${dir} belongs to another user (uid ${OTHER})`);
    expect(r.stderr).toContain('ANCHOR_CONFIG_DIR');
    expect(r.stderr).not.toContain('login-key-12345');
  });

  it('is not read by the completion query either: Tab sends the key from the environment nowhere', async () => {
    const api = await startScriptServer();
    servers.push(api);
    const { dir, file } = configFolder(planted(api.url));
    chownSync(file, OTHER, OTHER);
    const { runComplete } = await import('../../src/completion/entry.js');
    let out = '';
    const code = await runComplete(
      ['webhooks', 'get', 'wh_'],
      { ANCHOR_CONFIG_DIR: dir, ANCHOR_API_KEY: 'users-own-key-12345', HOME: dir },
      (s) => (out += s),
    );
    expect(code).toBe(0);
    expect(api.seen).toEqual([]);
    expect(out).not.toContain('wh_');
  });

  it('a file of our own in the same shape is used (the check is the owner, not the content)', async () => {
    const api = await startScriptServer();
    servers.push(api);
    api.expect('GET', '/v1/webhooks', { body: { webhooks: [] } });
    const { dir } = configFolder(planted(api.url));
    const r = await runCli(['webhooks', 'list', '--json'], { env: { ANCHOR_CONFIG_DIR: dir } });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('[]');
  });
});

describe('API keys that cannot be sent', () => {
  const bad: Array<[string, string, string]> = [
    ['a newline', 'good-part\nrest-of-key', 'a line break (character 10 of 21)'],
    ['a non-ASCII character', 'clé-1234567890', 'a non-ASCII character (character 3 of 14)'],
    ['a control character', 'key\u0001-1234567890', 'a control character (character 4 of 15)'],
    ['a space', 'key with-space-1234', 'white space (character 4 of 19)'],
  ];

  it.each(bad)(
    'from ANCHOR_API_KEY, with %s: exit 4 saying what is wrong, without quoting the key',
    async (_what, key, problem) => {
      const r = await runCli(['webhooks', 'list'], {
        env: { ANCHOR_API_KEY: key, ANCHOR_API_URL: 'http://127.0.0.1:9', ANCHOR_CONFIG_DIR: configFolder().dir },
      });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain(`the API key in ANCHOR_API_KEY cannot be sent: it contains ${problem}`);
      expect(r.stderr).not.toContain(key.trim());
      expect(r.stderr).not.toMatch(/this is a bug/);
    },
  );

  it.each(bad)('at auth login, with %s: refused (exit 2), nothing stored', async (_what, key, problem) => {
    const { dir, file } = configFolder();
    const r = await runCli(['auth', 'login', '--with-key', '--no-verify'], {
      env: { ANCHOR_CONFIG_DIR: dir },
      stdin: key,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the key contains ${problem}`);
    expect(() => statSync(file)).toThrow();
  });

  it('stored by hand in the config file: exit 4 naming the file', async () => {
    const { dir, file } = configFolder(JSON.stringify({ profiles: { default: { 'api-key': 'stored\tkey-123456' } } }));
    const r = await runCli(['webhooks', 'list'], {
      env: { ANCHOR_CONFIG_DIR: dir, ANCHOR_API_URL: 'http://127.0.0.1:9' },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      `the API key stored for profile "default" in ${file} cannot be sent: it contains white space (character 7 of 17)`,
    );
  });
});

describe('redaction', () => {
  async function echoingApi(key: string): Promise<ScriptServer> {
    const api = await startScriptServer();
    servers.push(api);
    // An API that quotes the key back in its error, raw and JSON-escaped (as any JSON body would carry it).
    api.expect('GET', '/v1/webhooks', {
      status: 401,
      body: { error: 'unauthorized', message: `key ${key} is not valid`, detail: { key } },
    });
    return api;
  }

  it('auth status does not print an API error that echoes the key, in text or JSON', async () => {
    const key = 'status-echo-key-123456';
    for (const json of [false, true]) {
      const api = await echoingApi(key);
      const r = await runCli(['auth', 'status', ...(json ? ['--json'] : [])], {
        env: { ANCHOR_API_KEY: key, ANCHOR_API_URL: api.url, ANCHOR_CONFIG_DIR: configFolder().dir },
      });
      expect(r.code).toBe(4);
      expect(r.stdout + r.stderr).not.toContain(key);
      expect(r.stdout + r.stderr).toContain('[REDACTED]');
    }
  });

  it('a key shorter than 4 characters is redacted where it stands as a word, and text around it is left alone', async () => {
    const key = 'k9z';
    const api = await echoingApi(key);
    const r = await runCli(['webhooks', 'list', '--debug'], {
      env: { ANCHOR_API_KEY: key, ANCHOR_API_URL: api.url, ANCHOR_CONFIG_DIR: configFolder().dir },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).not.toMatch(/(?<![A-Za-z0-9_.-])k9z(?![A-Za-z0-9_-])/);
    expect(r.stderr).toContain('key [REDACTED] is not valid');
    expect(r.stderr).toContain('anchor-api-key: [REDACTED]');
  });

  it('a key with " and \\ is redacted in its JSON-escaped and percent-encoded forms too', async () => {
    const key = 'quote"and\\slash-key-1234';
    const api = await echoingApi(key);
    const r = await runCli(['webhooks', 'list', '--debug'], {
      env: {
        ANCHOR_API_KEY: key,
        ANCHOR_API_URL: api.url,
        ANCHOR_CONFIG_DIR: configFolder().dir,
        ANCHOR_RETRY_BASE_MS: '0',
      },
    });
    expect(r.code).toBe(4);
    const escaped = JSON.stringify(key).slice(1, -1);
    expect(r.stderr).not.toContain(escaped);
    expect(r.stderr).not.toContain(key);
    expect(r.stderr).not.toContain(encodeURIComponent(key));
    expect(r.stderr).toContain('[REDACTED]');
  });
});
