// `apply --secret-dir` against a hostile API, in-process over real HTTP: an id that is not a safe
// file name (`../outside/x`, `-rf`) or that names a file already there never writes outside the
// folder nor over a file, the secret is kept in a fresh 0600 file in the folder, and the command
// stops with a message saying the webhook was created and where its secret is.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../helpers/io.js';
import { projectEnv } from '../../../helpers/env.js';
import { sampleWebhook, startScriptServer, type ScriptServer } from '../../../helpers/script-server.js';

const SECRET = 'whsec_apply_hostile_0123456789abcdef0123456789';
const URL_A = 'https://a.example.com/hooks';

let api: ScriptServer;
beforeEach(async () => {
  api = await startScriptServer();
});
afterEach(async () => {
  expect(api.unexpected).toEqual([]);
  await api.close();
});

/** A folder with the apply file, the secret folder inside it, and `outside/` beside that. */
function layout() {
  const root = mkdtempSync(join(tmpdir(), 'anchor-apply-hostile-'));
  const file = join(root, 'anchor-webhooks.yaml');
  writeFileSync(file, `webhooks:\n  - url: ${URL_A}\n    events: [task.completed]\n`);
  const secrets = join(root, 'secrets');
  mkdirSync(secrets, { mode: 0o700 });
  mkdirSync(join(root, 'outside'));
  return { root, file, secrets };
}

/** The API lists nothing, then creates the webhook under `id`. */
function answerCreateWith(id: string): void {
  api.expect('GET', '/v1/webhooks', { body: { webhooks: [] } });
  api.expect('POST', '/v1/webhooks', {
    status: 201,
    body: { ...sampleWebhook, id, url: URL_A, description: null, secret: SECRET },
  });
}

describe('apply --secret-dir with ids from a hostile API', () => {
  it('an id like ../outside/x creates nothing outside the folder; the secret is kept inside, 0600, and the error says so', async () => {
    const { root, file, secrets } = layout();
    answerCreateWith('../outside/x');
    const r = await runCli(['webhooks', 'apply', '-f', file, '--yes', '--secret-dir', secrets, '--json'], {
      env: projectEnv(api.url),
    });
    expect(r.code).toBe(1);
    expect(readdirSync(join(root, 'outside'))).toEqual([]);
    expect(existsSync(join(root, 'outside', 'x.secret'))).toBe(false);
    const kept = readdirSync(secrets);
    expect(kept).toHaveLength(1);
    const path = join(secrets, kept[0]!);
    expect(readFileSync(path, 'utf8')).toBe(SECRET);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const error = (JSON.parse(r.stderr) as { error: { message: string } }).error;
    expect(error.message).toContain('created a webhook, but the API answered with the id "../outside/x"');
    expect(error.message).toContain('it has characters other than letters, digits, "_" and "-"');
    expect(error.message).toContain(`its secret was written to ${path} (mode 0600) instead`);
    // The webhook was made: it is done, not left to do.
    expect(error.message).toContain('Done before it: created ../outside/x; not done: nothing');
    // The secret itself is in no output.
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(api.pending()).toEqual([]);
  });

  it('an id that starts with "-" is refused as a file name too', async () => {
    const { file, secrets } = layout();
    answerCreateWith('-rf');
    const r = await runCli(['webhooks', 'apply', '-f', file, '--yes', '--secret-dir', secrets], {
      env: projectEnv(api.url),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"-rf", which cannot name its secret file (it starts with "-")');
    expect(readdirSync(secrets).filter((n) => n.startsWith('-'))).toEqual([]);
    expect(readdirSync(secrets).map((n) => readFileSync(join(secrets, n), 'utf8'))).toEqual([SECRET]);
  });

  it('an id whose file is already there leaves that file alone and keeps the secret beside it', async () => {
    const { file, secrets } = layout();
    writeFileSync(join(secrets, 'wh_taken.secret'), 'the old secret', { mode: 0o600 });
    answerCreateWith('wh_taken');
    const r = await runCli(['webhooks', 'apply', '-f', file, '--yes', '--secret-dir', secrets], {
      env: projectEnv(api.url),
    });
    expect(r.code).toBe(1);
    expect(readFileSync(join(secrets, 'wh_taken.secret'), 'utf8')).toBe('the old secret');
    expect(r.stderr).toContain('already exists, and a secret file is never overwritten');
    const others = readdirSync(secrets).filter((n) => n !== 'wh_taken.secret');
    expect(others.map((n) => readFileSync(join(secrets, n), 'utf8'))).toEqual([SECRET]);
    expect(r.stderr).toContain(join(secrets, others[0]!));
  });

  it('a safe id still gets <dir>/<id>.secret', async () => {
    const { file, secrets } = layout();
    answerCreateWith(sampleWebhook.id);
    const r = await runCli(['webhooks', 'apply', '-f', file, '--yes', '--secret-dir', secrets, '--json'], {
      env: projectEnv(api.url),
    });
    expect(r.code).toBe(0);
    const path = join(secrets, `${sampleWebhook.id}.secret`);
    expect(JSON.parse(r.stdout)).toMatchObject({ applied: true, secret_files: { [sampleWebhook.id]: path } });
    expect(readFileSync(path, 'utf8')).toBe(SECRET);
  });
});

describe('a --secret-dir another local user could write to', () => {
  it.each([
    ['others can write to it (mode 0777)', (dir: string) => chmodSync(dir, 0o777), 'others can write to'],
    ['another user owns it', (dir: string) => chownSync(dir, 12345, 12345), 'belongs to another user (uid 12345)'],
  ])('%s: refused (exit 2) before anything is changed, and the folder is left as it was', async (_, spoil, message) => {
    const { file, secrets } = layout();
    spoil(secrets);
    // The plan reads the project's webhooks first; nothing is created.
    api.expect('GET', '/v1/webhooks', { body: { webhooks: [] } });
    const before = statSync(secrets);
    const r = await runCli(['webhooks', 'apply', '-f', file, '--yes', '--secret-dir', secrets], {
      env: projectEnv(api.url),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('    at ');
    expect(api.seen.map((x) => x.method)).toEqual(['GET']);
    const after = statSync(secrets);
    expect([after.mode, after.uid]).toEqual([before.mode, before.uid]);
  });

  it('anchor mcp refuses to serve with such a folder (exit 2), and leaves it as it was', async () => {
    const { secrets } = layout();
    chmodSync(secrets, 0o777);
    const r = await runCli(['mcp', '--secret-dir', secrets], { env: projectEnv(api.url) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('others can write to');
    expect(statSync(secrets).mode & 0o777).toBe(0o777);
  });
});
