// `apply` with entries that pin their webhook's `id` (as `export` writes them): a new URL is an
// update of the same webhook, an id the project lacks is a file error with its place, and ids in
// the file are checked like the rest of it — in-process, against the emulator over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

let emu: CheckedEmulator;
beforeAll(async () => {
  emu = await startCheckedEmulator();
});
afterAll(async () => {
  expect(emu.violations).toEqual([]);
  await emu.close();
});

const A = 'https://a.example.com/hooks';
const B = 'https://b.example.com/hooks';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'anchor-apply-id-')), 'anchor-webhooks.yaml');
  writeFileSync(path, text);
  return path;
}
async function seed(env: Record<string, string>, url: string) {
  const r = await runCli(
    [
      'webhooks',
      'create',
      '--url',
      url,
      '--event',
      'task.completed',
      '--secret-file',
      join(tmpdir(), `s-${Date.now()}-${Math.random()}`),
      '--json',
    ],
    { env },
  );
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { id: string };
}
async function list(env: Record<string, string>) {
  const r = await runCli(['webhooks', 'list', '--json'], { env });
  return JSON.parse(r.stdout) as Array<{ id: string; url: string; subscribed_events: string[] }>;
}

describe('webhooks apply: entries with an id', () => {
  it('a changed URL under an id is an update of that webhook, not a delete and a create', async () => {
    const env = projectEnv(emu.url);
    const a = await seed(env, A);
    const exported = await runCli(['webhooks', 'export'], { env });
    expect(parseYaml(exported.stdout)).toEqual({ webhooks: [{ id: a.id, url: A, events: ['task.completed'] }] });
    const path = file(exported.stdout.replace(A, B));

    const plan = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--dry-run', '--json'], { env });
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toEqual({
      plan: [{ action: 'update', url: B, id: a.id, changes: { url: { from: A, to: B } } }],
      applied: false,
    });
    const people = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--dry-run'], { env });
    expect(people.stdout).toContain(`~ update     ${B}  ${a.id}  url "${A}" → "${B}"`);
    expect(people.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete, 0 unchanged.');

    const applied = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--yes'], { env });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`Updated ${a.id} (${B}): url`);
    expect(await list(env)).toEqual([expect.objectContaining({ id: a.id, url: B })]);
    expect((await runCli(['webhooks', 'apply', '-f', path, '--prune', '--check'], { env })).code).toBe(0);
  });

  it('without an id the same edit is still a delete and a create (matched by URL), as before', async () => {
    const env = projectEnv(emu.url);
    const a = await seed(env, A);
    const path = file(`webhooks:\n  - url: ${B}\n    events: [task.completed]\n`);
    const plan = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--dry-run', '--json'], { env });
    expect(JSON.parse(plan.stdout).plan).toEqual([
      { action: 'delete', url: A, id: a.id },
      { action: 'create', url: B },
    ]);
  });

  it('an entry matched by URL never takes the webhook another entry pins by id', async () => {
    const env = projectEnv(emu.url);
    const a = await seed(env, A);
    // The pinned entry moves A's webhook to B; the second entry wants A again: a new webhook.
    const path = file(
      `webhooks:\n  - url: ${A}\n    events: [task.failed]\n  - id: ${a.id}\n    url: ${B}\n    events: [task.completed]\n`,
    );
    const plan = await runCli(['webhooks', 'apply', '-f', path, '--dry-run', '--json'], { env });
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout).plan).toEqual([
      { action: 'update', url: B, id: a.id, changes: { url: { from: A, to: B } } },
      { action: 'create', url: A },
    ]);
  });

  it('an id the project does not have is a file error naming it, with its line and column; nothing is changed', async () => {
    const env = projectEnv(emu.url);
    const a = await seed(env, A);
    const path = file(
      [
        'webhooks:',
        `  - id: ${a.id}`,
        `    url: ${A}`,
        '    events: [task.completed]',
        '  - url: https://c.example.com/hooks',
        '    id: wh_gone_0000',
        '    events: [task.failed]',
        '',
      ].join('\n'),
    );
    for (const mode of [['--dry-run'], ['--check'], ['--yes', '--secret-dir', mkdtempSync(join(tmpdir(), 's-'))]]) {
      const r = await runCli(['webhooks', 'apply', '-f', path, ...mode], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${path} has 1 problem; nothing was sent:`);
      expect(r.stderr).toContain(
        `  ${path}:6:9: webhooks[1].id: no webhook "wh_gone_0000" in this project; an \`id\` must name a webhook that exists`,
      );
      expect(r.stderr).toContain('take the ids from `anchor webhooks export`');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await list(env)).toEqual([expect.objectContaining({ id: a.id, url: A })]);
  });

  it('checks ids in the file: a string of id characters, each once; entries that pin ids may share a URL', () => {
    const bad = [
      'webhooks:',
      '  - id: wh_1',
      `    url: ${A}`,
      '    events: [task.completed]',
      '  - id: wh_1',
      `    url: ${B}`,
      '    events: [task.completed]',
      '  - id: [1]',
      `    url: https://c.example.com/h`,
      '    events: [task.completed]',
      '  - id: "../x"',
      `    url: https://d.example.com/h`,
      '    events: [task.completed]',
      '',
    ].join('\n');
    let caught: unknown;
    try {
      parseApplyFile(bad, 'f', { allowLocalTargets: false });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UsageError);
    const lines = (caught as UsageError).message.split('\n').slice(1);
    expect(lines).toEqual([
      '  f:5:9: webhooks[1].id: "wh_1" is also the id of webhooks[0]; each webhook may appear once',
      '  f:8:9: webhooks[2].id: must be a webhook id as `anchor webhooks export` writes it (not a string)',
      '  f:11:9: webhooks[3].id: must be a webhook id as `anchor webhooks export` writes it (it has characters other than letters, digits, "_" and "-")',
    ]);

    const shared = `webhooks:\n  - id: wh_1\n    url: ${A}\n    events: [task.completed]\n  - id: wh_2\n    url: ${A}\n    events: [task.failed]\n`;
    expect(parseApplyFile(shared, 'f', { allowLocalTargets: false }).map((d) => [d.id, d.url])).toEqual([
      ['wh_1', A],
      ['wh_2', A],
    ]);
  });

  it('the JSON Schema takes ids and agrees with the checks on them', () => {
    const validate = new Ajv2020({ strict: false }).compile(applyFileSchema());
    const cases: Array<[unknown, boolean]> = [
      [{ webhooks: [{ id: 'wh_abc', url: A, events: ['task.completed'] }] }, true],
      [{ webhooks: [{ id: '', url: A, events: ['task.completed'] }] }, false],
      [{ webhooks: [{ id: 7, url: A, events: ['task.completed'] }] }, false],
      [{ webhooks: [{ id: '-h', url: A, events: ['task.completed'] }] }, false],
      [{ webhooks: [{ id: 'x'.repeat(129), url: A, events: ['task.completed'] }] }, false],
    ];
    for (const [c, valid] of cases) {
      let ours = true;
      try {
        parseApplyFile(JSON.stringify(c), 'f.json', { allowLocalTargets: false });
      } catch {
        ours = false;
      }
      expect(ours, JSON.stringify(c).slice(0, 60)).toBe(valid);
      expect(validate(c), JSON.stringify(c).slice(0, 60)).toBe(valid);
    }
  });
});

describe("the temporary webhooks of listen --register are nobody's configuration", () => {
  async function seedTemporary(env: Record<string, string>) {
    const r = await runCli(
      [
        'webhooks',
        'create',
        '--url',
        'https://tunnel.example.com/',
        '--event',
        'task.completed',
        '--description',
        'anchor webhooks listen (temporary) on elsewhere pid 4242 since 2026-12-05T10:00:00.000Z',
        '--secret-file',
        join(tmpdir(), `s-${Date.now()}-${Math.random()}`),
        '--json',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { id: string };
  }

  it('export leaves them out (and says so); apply --check and --prune leave them alone', async () => {
    const env = projectEnv(emu.url);
    const a = await seed(env, A);
    const t = await seedTemporary(env);
    const exported = await runCli(['webhooks', 'export'], { env });
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(a.id);
    expect(exported.stdout).not.toContain(t.id);
    expect(exported.stderr).toContain(`Left out 1 temporary webhook(s) of \`listen --register\` (${t.id})`);
    const path = file(exported.stdout);
    expect((await runCli(['webhooks', 'apply', '-f', path, '--check'], { env })).code).toBe(0);
    const pruned = await runCli(['webhooks', 'apply', '-f', path, '--prune', '--yes', '--json'], { env });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect((await list(env)).map((w) => w.id).sort()).toEqual([a.id, t.id].sort());
  });

  it('a file that pins one (exported before) is told so, with the fix that removes the entry', async () => {
    const env = projectEnv(emu.url);
    const t = await seedTemporary(env);
    const path = file(
      `webhooks:\n  - id: ${t.id}\n    url: https://tunnel.example.com/\n    events: [task.completed]\n`,
    );
    const r = await runCli(['webhooks', 'apply', '-f', path, '--check'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`"${t.id}" is the temporary webhook of a running \`listen --register\``);
    expect(r.stderr).toContain('remove its whole entry');
  });
});
