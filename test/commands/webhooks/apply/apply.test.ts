// `anchor webhooks export` and `apply`: plans, idempotence, drift checks, --prune, the limit, a
// fault half-way and its rerun, file errors with their lines, secrets in 0600 files — in-process,
// against the emulator over real HTTP (through a counting proxy where requests are counted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { startCheckedEmulator, type CheckedEmulator } from '../../../helpers/checked-emulator.js';
import { runCli } from '../../../helpers/io.js';
import { projectEnv } from '../../../helpers/env.js';
import { applyFileSchema } from '../../../../src/commands/webhooks/apply/schema.js';
import { parseApplyFile } from '../../../../src/commands/webhooks/apply/file.js';
import { UsageError } from '../../../../src/errors.js';

/**
 * A proxy in front of the emulator that records every request, and answers 500 itself (without
 * forwarding) to the requests `fail` picks.
 */
interface Proxy {
  url: string;
  seen: string[];
  fail: (method: string, path: string) => boolean;
  close: () => Promise<void>;
}
async function startProxy(target: string): Promise<Proxy> {
  const proxy: Proxy = { url: '', seen: [], fail: () => false, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      proxy.seen.push(`${method} ${path.split('?')[0]}`);
      if (proxy.fail(method, path)) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'internal', message: 'injected fault' } }));
        return;
      }
      const headers = { ...req.headers };
      delete headers.host;
      fetch(`${target}${path}`, {
        method,
        headers: headers as Record<string, string>,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      })
        .then(async (r) => {
          const body = Buffer.from(await r.arrayBuffer());
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
          res.end(body);
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise((r) => server.close(() => r()));
  return proxy;
}

let emu: CheckedEmulator;
let proxy: Proxy;
beforeAll(async () => {
  emu = await startCheckedEmulator();
  proxy = await startProxy(emu.url);
});
afterAll(async () => {
  expect(emu.violations).toEqual([]);
  await proxy.close();
  await emu.close();
});

const A = 'https://a.example.com/hooks';
const B = 'https://b.example.com/hooks';
const C = 'https://c.example.com/hooks';
const D = 'https://d.example.com/hooks';
const ESC = '\u001b[';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'anchor-apply-'));
}
function file(text: string): string {
  const path = join(dir(), 'anchor-webhooks.yaml');
  writeFileSync(path, text);
  return path;
}
async function seed(env: Record<string, string>, url: string, events: string[], extra: string[] = []) {
  const r = await runCli(
    [
      'webhooks',
      'create',
      '--url',
      url,
      '--event',
      events.join(','),
      '--secret-file',
      join(dir(), 's'),
      '--json',
      ...extra,
    ],
    { env },
  );
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { id: string };
}
async function list(env: Record<string, string>) {
  const r = await runCli(['webhooks', 'list', '--json'], { env });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Array<{
    id: string;
    url: string;
    subscribed_events: string[];
    description: string | null;
    enabled: boolean;
  }>;
}

const FILE = `# what the project must have
webhooks:
  - url: ${A}
    events: [task.completed]
  - url: ${B}
    events: [task.failed, session.failed]
    description: alerts
    enabled: false
  - url: ${D}
    events: [batch.completed]
`;

describe('webhooks apply: the plan', () => {
  it('shows each kind of change, in the order they are applied, and sends nothing with --dry-run', async () => {
    const env = projectEnv(proxy.url);
    const a = await seed(env, A, ['task.completed']);
    const b = await seed(env, B, ['task.failed', 'task.cancelled'], ['--description', 'old']);
    const c = await seed(env, C, ['task.completed']);
    const path = file(FILE);

    proxy.seen.length = 0;
    const json = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--dry-run', '--json'], { env });
    expect(json.code).toBe(0);
    expect(proxy.seen).toEqual(['GET /v1/webhooks']);
    expect(JSON.parse(json.stdout)).toEqual({
      plan: [
        { action: 'delete', url: C, id: c.id },
        {
          action: 'update',
          url: B,
          id: b.id,
          changes: {
            events: { from: ['task.failed', 'task.cancelled'], to: ['task.failed', 'session.failed'] },
            description: { from: 'old', to: 'alerts' },
            enabled: { from: true, to: false },
          },
        },
        { action: 'create', url: D },
        { action: 'unchanged', url: A, id: a.id },
      ],
      applied: false,
    });

    // Piped: plain text, one line a webhook, and the summary.
    const plain = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--dry-run'], { env });
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain(ESC);
    const lines = plain.stdout.split('\n').filter((l) => l.startsWith('  '));
    expect(lines.map((l) => l.trim().slice(0, 1))).toEqual(['-', '~', '+', '=']);
    expect(lines[1]).toContain(
      'events +session.failed -task.cancelled; description "old" → "alerts"; enabled true → false',
    );
    // The URL column lines up.
    const at = lines.map((l) => l.indexOf('https://'));
    expect(new Set(at).size).toBe(1);
    expect(plain.stdout).toContain('Plan: 1 to create, 1 to update, 1 to delete, 1 unchanged.');
    expect(plain.stdout).toContain('Dry run: nothing was sent.');

    // In a terminal: coloured like terraform plan.
    const tty = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--dry-run'], { env, tty: true });
    expect(tty.stdout).toContain(`${ESC}32m+ create`);
    expect(tty.stdout).toContain(`${ESC}31m- delete`);
    expect(tty.stdout).toContain(`${ESC}33m~ update`);

    // Without --prune a webhook not in the file is left alone, and said so.
    const keep = await runCli(['webhooks', 'apply', '-f', path, '--dry-run'], { env });
    expect(keep.stdout).not.toContain('- delete');
    expect(keep.stderr).toContain(`not in ${path} and are left alone (--prune deletes them): ${c.id}`);
    expect(await list(env)).toHaveLength(3);
  });
});

describe('webhooks apply: applying', () => {
  it('applies deletes, updates and creates; a second apply makes exactly one request; --check is 6 on drift, 0 after', async () => {
    const env = projectEnv(proxy.url);
    const b = await seed(env, B, ['task.failed']);
    const c = await seed(env, C, ['task.completed']);
    const path = file(FILE);
    const secrets = join(dir(), 'secrets');

    const drift = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--check'], { env });
    expect(drift.code).toBe(6);
    expect(drift.stderr).toContain('drifted');

    proxy.seen.length = 0;
    const r = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--yes', '--secret-dir', secrets, '--json'], {
      env,
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { applied: boolean; secret_files: Record<string, string> };
    expect(out.applied).toBe(true);
    // Deletes, then updates, then creates (D enabled; A, then nothing else).
    expect(proxy.seen).toEqual([
      'GET /v1/webhooks',
      `DELETE /v1/webhooks/${c.id}`,
      `PATCH /v1/webhooks/${b.id}`,
      'POST /v1/webhooks',
      'POST /v1/webhooks',
    ]);
    const after = await list(env);
    expect(after.map((w) => w.url).sort()).toEqual([A, B, D]);
    const bAfter = after.find((w) => w.url === B)!;
    expect(bAfter).toMatchObject({
      subscribed_events: ['task.failed', 'session.failed'],
      description: 'alerts',
      enabled: false,
    });

    // One 0600 file per created webhook, named after its id, holding its secret; no secret in the output.
    const created = after.filter((w) => w.url !== B);
    expect(Object.keys(out.secret_files).sort()).toEqual(created.map((w) => w.id).sort());
    expect(readdirSync(secrets).sort()).toEqual(created.map((w) => `${w.id}.secret`).sort());
    for (const w of created) {
      const p = join(secrets, `${w.id}.secret`);
      expect(out.secret_files[w.id]).toBe(p);
      expect(statSync(p).mode & 0o777).toBe(0o600);
      const secret = readFileSync(p, 'utf8');
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
    expect(statSync(secrets).mode & 0o777).toBe(0o700);

    proxy.seen.length = 0;
    const again = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--yes'], { env });
    expect(again.code).toBe(0);
    expect(proxy.seen).toEqual(['GET /v1/webhooks']);
    expect(again.stdout).toContain('Nothing to do');

    const check = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--check'], { env });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('No drift');
  });

  it('a disabled webhook in the file is created, then disabled', async () => {
    const env = projectEnv(emu.url);
    const path = file(`webhooks:\n  - url: ${A}\n    events: [task.completed]\n    enabled: false\n`);
    const r = await runCli(['webhooks', 'apply', '-f', path, '--yes', '--secret-dir', dir()], { env });
    expect(r.code).toBe(0);
    expect((await list(env))[0]).toMatchObject({ url: A, enabled: false });
    expect((await runCli(['webhooks', 'apply', '-f', path, '--check'], { env })).code).toBe(0);
  });

  it('refuses a plan past the limit of 5 before sending anything but the list', async () => {
    const env = projectEnv(proxy.url);
    for (const n of [1, 2, 3, 4]) await seed(env, `https://old${n}.example.com/h`, ['task.completed']);
    const path = file(
      `webhooks:\n  - url: ${A}\n    events: [task.completed]\n  - url: ${B}\n    events: [task.completed]\n`,
    );
    proxy.seen.length = 0;
    const r = await runCli(['webhooks', 'apply', '-f', path, '--yes', '--secret-dir', dir()], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('would leave the project with 6 webhooks; Anchor allows at most 5. Nothing was sent.');
    expect(r.stderr).toContain('--prune');
    expect(proxy.seen).toEqual(['GET /v1/webhooks']);
    expect(await list(env)).toHaveLength(4);

    // With --prune the four old ones go first, and the two new ones fit.
    const pruned = await runCli(['webhooks', 'apply', '-f', path, '--yes', '--prune', '--secret-dir', dir()], { env });
    expect(pruned.code).toBe(0);
    expect((await list(env)).map((w) => w.url).sort()).toEqual([A, B]);
  });

  it('a fault half-way is reported as half-done, and the same apply run again finishes the job', async () => {
    const env = projectEnv(proxy.url);
    const c = await seed(env, C, ['task.completed']);
    const path = file(FILE);
    let posts = 0;
    proxy.fail = (method, path_) => method === 'POST' && path_ === '/v1/webhooks' && ++posts === 2;
    const r = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--yes', '--secret-dir', dir()], { env });
    proxy.fail = () => false;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Done before it: deleted ${c.id}, created wh_`);
    expect(r.stderr).toMatch(/not done: create https:\/\/(b|d)\.example\.com\/hooks/);
    expect(r.stderr).toContain('Run the same `anchor webhooks apply -f');
    expect(await list(env)).toHaveLength(1);

    const rerun = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--yes', '--secret-dir', dir()], { env });
    expect(rerun.code).toBe(0);
    expect((await list(env)).map((w) => w.url).sort()).toEqual([A, B, D]);
    expect((await runCli(['webhooks', 'apply', '-f', path, '--prune', '--check'], { env })).code).toBe(0);
  });

  it('without a terminal, creating needs --secret-dir: exit 2, nothing sent but the list', async () => {
    const env = projectEnv(proxy.url);
    proxy.seen.length = 0;
    const r = await runCli(['webhooks', 'apply', '-f', file(FILE), '--yes'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pass --secret-dir <dir>');
    expect(proxy.seen).toEqual(['GET /v1/webhooks']);
  });

  it('in a terminal, asks first: "n" changes nothing (130); "y" applies and shows each secret once', async () => {
    const env = projectEnv(emu.url);
    const path = file(`webhooks:\n  - url: ${A}\n    events: [task.completed]\n`);
    const no = await runCli(['webhooks', 'apply', '-f', path], { env, tty: true, keys: ['n', '\r'] });
    expect(no.code).toBe(130);
    expect(await list(env)).toHaveLength(0);
    const yes = await runCli(['webhooks', 'apply', '-f', path], { env, tty: true, keys: ['y', '\r'] });
    expect(yes.code).toBe(0);
    const secret = yes.stdout.match(/\n {4}([0-9a-f]{64})\n/)?.[1];
    expect(secret).toBeDefined();
    expect(yes.stdout.split(secret!).length).toBe(2);
    expect(await list(env)).toHaveLength(1);
  });

  it('without a terminal and without --yes, refuses to change anything (exit 2)', async () => {
    const env = projectEnv(emu.url);
    await seed(env, C, ['task.completed']);
    const r = await runCli(['webhooks', 'apply', '-f', file('webhooks: []\n'), '--prune'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(await list(env)).toHaveLength(1);
  });
});

describe('webhooks export', () => {
  it('writes a file that apply takes back unchanged (export | apply -f - --check exits 0), YAML and JSON', async () => {
    const env = projectEnv(emu.url);
    const a = await seed(env, A, ['task.completed', 'task.failed'], ['--description', 'prod: "alerts" #1']);
    const b = await seed(env, B, ['session.failed']);
    expect((await runCli(['webhooks', 'disable', b.id], { env })).code).toBe(0);

    const yaml = await runCli(['webhooks', 'export'], { env });
    expect(yaml.code).toBe(0);
    expect(parseYaml(yaml.stdout)).toEqual({
      webhooks: [
        { id: a.id, url: A, events: ['task.completed', 'task.failed'], description: 'prod: "alerts" #1' },
        { id: b.id, url: B, events: ['session.failed'], enabled: false },
      ],
    });
    expect(yaml.stdout).toContain('events: [task.completed, task.failed]');
    const check = await runCli(['webhooks', 'apply', '-f', '-', '--check'], { env, stdin: yaml.stdout });
    expect(check.code).toBe(0);

    const json = await runCli(['webhooks', 'export', '--format', 'json'], { env });
    expect(JSON.parse(json.stdout)).toEqual(parseYaml(yaml.stdout));
    expect((await runCli(['webhooks', 'apply', '-f', '-', '--check'], { env, stdin: json.stdout })).code).toBe(0);
    // The exported file is valid against the shipped JSON Schema.
    expect(new Ajv2020({ strict: false }).validate(applyFileSchema(), JSON.parse(json.stdout))).toBe(true);
  });
});

describe('the apply file', () => {
  const BROKEN = [
    'webhooks:', //                                  1
    `  - url: ${A}`, //                             2
    '    events: [task.completed, task.done]', //   3  unknown event type
    '    descripton: typo', //                      4  unknown key
    '  - url: http://localhost:3000/hooks', //      5  not https
    '    events: []', //                            6  empty
    '    enabled: "yes"', //                        7  not a boolean
    '  - url: HTTPS://A.EXAMPLE.COM:443/hooks', //  8  the first URL again, once normalized
    '    events: [task.failed]',
    '  - events: [task.failed]', //                 10 no url
    'extra: 1', //                                  11 unknown top-level key
    '',
  ].join('\n');

  it('names every problem at once, each with its line and column, and sends nothing', async () => {
    const env = projectEnv(proxy.url);
    const path = file(BROKEN);
    proxy.seen.length = 0;
    const r = await runCli(['webhooks', 'apply', '-f', path, '--yes'], { env });
    expect(r.code).toBe(2);
    expect(proxy.seen).toEqual([]);
    const problems = r.stderr.split('\n').filter((l) => l.startsWith(`  ${path}:`));
    expect(problems).toEqual([
      `  ${path}:3:30: webhooks[0].events[1]: "task.done": not an Anchor event type.`,
      `  ${path}:4:5: webhooks[0].descripton: unknown key "descripton". Did you mean "description"?`,
      `  ${path}:5:10: webhooks[1].url: the URL must use https:// (got http://)`,
      `  ${path}:6:13: webhooks[1].events: give at least one event type`,
      `  ${path}:7:14: webhooks[1].enabled: must be true or false`,
      `  ${path}:8:10: webhooks[2].url: ${A} is also the URL of webhooks[0]; entries without an \`id\` are matched by URL, so each URL may appear once among them`,
      `  ${path}:10:5: webhooks[3]: missing key \`url\``,
      `  ${path}:11:1: extra: unknown key "extra". The keys are $schema, webhooks.`,
    ]);
    expect(r.stderr).toContain('has 8 problems; nothing was sent');
    // The http:// URL gets the advice create gives, with the flag and the environment variable.
    expect(r.stderr).toContain('For a local receiver behind the emulator, pass --allow-local-targets.');
    expect(r.stderr).toContain('ANCHOR_ALLOW_LOCAL_TARGETS=1');
  });

  it('uses the URL rules of create: a local URL passes with --allow-local-targets', () => {
    const text = 'webhooks:\n  - url: http://127.0.0.1:3000/hooks\n    events: [task.completed]\n';
    expect(() => parseApplyFile(text, 'f', { allowLocalTargets: false })).toThrow(UsageError);
    expect(parseApplyFile(text, 'f', { allowLocalTargets: true })).toEqual([
      { url: 'http://127.0.0.1:3000/hooks', events: ['task.completed'], description: null, enabled: true },
    ]);
  });

  it('reports YAML syntax errors with their place, and takes JSON (with $schema) too', () => {
    let caught: unknown;
    try {
      parseApplyFile('webhooks:\n  - url: [unclosed\n', 'f.yaml', { allowLocalTargets: false });
    } catch (e) {
      caught = e;
    }
    expect((caught as UsageError).message).toMatch(/f\.yaml:\d+:\d+: /);
    expect(
      parseApplyFile(
        JSON.stringify({
          $schema: './anchor-webhooks.schema.json',
          webhooks: [{ url: A, events: ['task.failed'] }],
        }),
        'f.json',
        { allowLocalTargets: false },
      ),
    ).toEqual([{ url: A, events: ['task.failed'], description: null, enabled: true }]);
  });

  it('the shipped JSON Schema agrees with the checks on valid and invalid files', () => {
    const ajv = new Ajv2020({ strict: false });
    const schema = JSON.parse(
      readFileSync(new URL('../../../../dist/anchor-webhooks.schema.json', import.meta.url), 'utf8'),
    );
    expect(schema).toEqual(applyFileSchema());
    const validate = ajv.compile(schema);
    const cases: unknown[] = [
      { webhooks: [] },
      { webhooks: [{ url: A, events: ['task.completed'], description: null, enabled: true }] },
      { webhooks: [{ url: A, events: ['task.completed'], description: 'x'.repeat(257) }] },
      { webhooks: [{ url: A, events: ['task.nope'] }] },
      { webhooks: [{ url: A, events: [] }] },
      { webhooks: [{ url: A }] },
      { webhooks: [{ url: A, events: ['task.completed'], colour: 'red' }] },
      { webhooks: [{ url: A, events: ['task.completed'], enabled: 'yes' }] },
      { webhooks: [1, 2, 3, 4, 5, 6].map((n) => ({ url: `https://h${n}.example.com/`, events: ['task.completed'] })) },
      { hooks: [] },
      { webhooks: [{ url: 'ftp://x.example.com/', events: ['task.completed'] }] },
    ];
    for (const c of cases) {
      let ours = true;
      try {
        parseApplyFile(JSON.stringify(c), 'f.json', { allowLocalTargets: false });
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        ours = false;
      }
      expect(validate(c), JSON.stringify(c).slice(0, 80)).toBe(ours);
    }
  });
});

describe('secrets in GitHub Actions', () => {
  it('create prints the ::add-mask:: line before the secret (stdout; stderr with --json)', async () => {
    const env = projectEnv(emu.url, { GITHUB_ACTIONS: 'true' });
    const r = await runCli(['webhooks', 'create', '--url', A, '--event', 'task.completed'], { env });
    expect(r.code).toBe(0);
    const secret = r.stdout.match(/\n {4}([0-9a-f]{64})\n/)![1]!;
    expect(r.stdout.indexOf(`::add-mask::${secret}\n`)).toBeGreaterThanOrEqual(0);
    expect(r.stdout.indexOf(`::add-mask::${secret}`)).toBeLessThan(r.stdout.indexOf(`    ${secret}`));

    const j = await runCli(['webhooks', 'create', '--url', B, '--event', 'task.completed', '--json'], { env });
    const body = JSON.parse(j.stdout) as { secret: string };
    expect(j.stderr).toContain(`::add-mask::${body.secret}\n`);

    const plain = await runCli(['webhooks', 'create', '--url', C, '--event', 'task.completed'], {
      env: projectEnv(emu.url),
    });
    expect(plain.stdout + plain.stderr).not.toContain('::add-mask::');
  });
});
