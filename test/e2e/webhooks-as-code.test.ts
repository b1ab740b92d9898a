// docs/webhooks-as-code.md from the built binary against the emulator: the GitHub Actions recipe's
// steps run as the runner would run them — `run:` in bash (a stand-in `gh` on PATH records its
// argv and stdin: no real gh, no network), `uses:` this project's action (action/dist/main.cjs,
// with its inputs as INPUT_* variables and the runner's files) — `export` then `apply` on an emulator project with local URLs
// (the hint, then --allow-local-targets), and a pinned id turning a new URL into an update that
// keeps the webhook's secret (a real receiver verifies a delivery with the original secret).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, isolatedEnv, runBin, startBinEmulator } from '../helpers/bin.js';
import { newJob, runStep } from '../action/runner.js';
import { startReceiver } from '../helpers/receiver.js';
import { verifyDelivery } from '../helpers/verifier.js';

const guide = readFileSync(join(ROOT, 'docs/webhooks-as-code.md'), 'utf8');

interface Step {
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}

/** The workflow of the guide's recipe. */
function recipe(): { env: Record<string, string>; steps: Step[] } {
  const at = guide.indexOf('## A CI recipe (GitHub Actions)');
  expect(at).toBeGreaterThan(0);
  const workflow = parseYaml(guide.slice(at).match(/```yaml\n([\s\S]*?)```/)![1]!) as {
    jobs: { webhooks: { env: Record<string, string>; steps: Step[] } };
  };
  return workflow.jobs.webhooks;
}

/** `${{ secrets.NAME }}` and `${{ runner.temp }}` replaced as the runner would; any other expression fails the test. */
function resolve(value: string, secrets: Record<string, string>, runnerTemp = ''): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    if (expr === 'runner.temp') return runnerTemp;
    const name = expr.match(/^secrets\.(\w+)$/)?.[1];
    expect(name && secrets[name], `the recipe uses \${{ ${expr} }}`).toBeTruthy();
    return secrets[name!]!;
  });
}

/** Whether a step's `if:` holds for the event (the recipe only tests github.event_name). */
function runsOn(step: Step, event: string): boolean {
  if (step.if === undefined) return true;
  const m = step.if.match(/^github\.event_name == '(\w+)'$/);
  expect(m, `the recipe's condition ${step.if}`).toBeTruthy();
  return m![1] === event;
}

/** A `gh` that records each call (argv, stdin, whether GH_TOKEN was given) as a JSON line, and succeeds. */
function standInGh(bin: string, log: string): void {
  const path = join(bin, 'gh');
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require('node:fs');
const stdin = fs.readFileSync(0, 'utf8');
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), stdin, token: process.env.GH_TOKEN ?? null }) + '\\n');
`,
  );
  chmodSync(path, 0o755);
}

interface GhCall {
  argv: string[];
  stdin: string;
  token: string | null;
}

describe('docs/webhooks-as-code.md', () => {
  it('the GitHub Actions recipe: the plan on pull requests, then apply, store the new secrets with gh (on stdin), and no drift on main, through the action', async () => {
    const job = recipe();
    const action = job.steps.filter((s) => s.uses !== undefined && !s.uses.startsWith('actions/'));
    expect(action.length).toBeGreaterThan(0);
    for (const s of action) expect(s.uses).toBe('<owner>/<repo>@<tag>');
    // Nothing is installed: the action carries anchor (no npm, no tarball).
    expect(job.steps.some((s) => /npm install|\.tgz/.test(s.run ?? ''))).toBe(false);
    const fileAt = guide.indexOf('# anchor-webhooks.yaml');
    expect(fileAt).toBeGreaterThan(0);
    const repo = mkdtempSync(join(tmpdir(), 'anchor-recipe-repo-'));
    writeFileSync(join(repo, 'anchor-webhooks.yaml'), guide.slice(fileAt, guide.indexOf('```', fileAt)));
    const bin = mkdtempSync(join(tmpdir(), 'anchor-recipe-bin-'));
    const ghLog = join(mkdtempSync(join(tmpdir(), 'anchor-gh-')), 'calls.ndjson');
    standInGh(bin, ghLog);
    const secrets = { ANCHOR_API_KEY: 'ci-key', ANCHOR_SECRETS_TOKEN: 'token-that-may-write-secrets' };

    const emu = await startBinEmulator();
    try {
      const outputs: string[] = [];
      let runnerTemp = '';
      /** Runs the steps of one event as the runner does: a new job (its RUNNER_TEMP and files), job env, step env. */
      const runEvent = async (event: string) => {
        const ci = newJob({
          PATH: `${bin}:${process.env.PATH}`,
          ANCHOR_API_URL: emu.url,
          GITHUB_REPOSITORY: 'acme/shop',
        });
        runnerTemp = ci.env.RUNNER_TEMP!;
        const ran = [];
        for (const s of job.steps.filter((s) => (s.run !== undefined || action.includes(s)) && runsOn(s, event))) {
          const stepEnv: Record<string, string> = {};
          for (const [k, v] of Object.entries({ ...job.env, ...s.env })) stepEnv[k] = resolve(v, secrets, runnerTemp);
          if (s.run !== undefined) {
            const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run], {
              cwd: repo,
              env: { ...ci.env, ...stepEnv },
              encoding: 'utf8',
              timeout: 30_000,
            });
            outputs.push(r.stdout, r.stderr);
            ran.push({ name: s.name, status: r.status, stdout: r.stdout, json: '' });
            continue;
          }
          const inputs = Object.fromEntries(
            Object.entries(s.with ?? {}).map(([k, v]) => [k, resolve(String(v), secrets, runnerTemp)]),
          );
          const r = await runStep(ci, 'main', { inputs, env: stepEnv, cwd: repo });
          outputs.push(r.stdout, r.stderr, JSON.stringify(r.outputs));
          ran.push({ name: s.name, status: r.code, stdout: r.stdout, json: r.outputs.json ?? '' });
        }
        return ran;
      };
      const ghCalls = (): GhCall[] =>
        existsSync(ghLog)
          ? readFileSync(ghLog, 'utf8')
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l) as GhCall)
          : [];
      const webhooks = async () =>
        JSON.parse(
          (await runBin(['webhooks', 'list', '--json'], { env: isolatedEnv({ ANCHOR_API_URL: emu.url, ...secrets }) }))
            .stdout,
        ) as Array<{ id: string }>;
      // What the steps printed, for a failure's message: the key (which ::add-mask:: names) hidden.
      const printed = () => outputs.join('\n').replaceAll(secrets.ANCHOR_API_KEY, '***').slice(-2000);
      const plan = (json: string) =>
        (JSON.parse(json) as { plan: Array<{ action: string }> }).plan.map((p) => p.action);

      // A pull request: the plan (the step's `json` output), nothing sent, exit 0; the key masked first.
      const pr = await runEvent('pull_request');
      // On failure, what the steps printed says why (the key is masked by the runner's protocol).
      expect(
        pr.map((s) => [s.name, s.status]),
        printed(),
      ).toEqual([['Plan', 0]]);
      expect(pr[0]!.stdout.split('\n')[0]).toBe(`::add-mask::${secrets.ANCHOR_API_KEY}`);
      expect(plan(pr[0]!.json)).toEqual(['create', 'create']);
      expect(await webhooks()).toEqual([]);

      // Main: apply, store each new secret with gh (from stdin, with the token), then no drift.
      const main = await runEvent('push');
      expect(
        main.map((s) => [s.name, s.status]),
        printed(),
      ).toEqual([
        ['Apply', 0],
        ['Store the secrets of new webhooks', 0],
        ['Check for drift', 0],
      ]);
      const created = await webhooks();
      expect(created).toHaveLength(2);
      const calls = ghCalls();
      expect(calls).toHaveLength(2);
      const dir = join(runnerTemp, 'anchor-secrets');
      expect(readdirSync(dir).sort()).toEqual(created.map((w) => `${w.id}.secret`).sort());
      for (const w of created) {
        const secret = readFileSync(join(dir, `${w.id}.secret`), 'utf8');
        const name = `ANCHOR_WEBHOOK_SECRET_${w.id.toUpperCase().replace(/-/g, '_')}`;
        const call = calls.find((c) => c.argv[2] === name);
        expect(call).toEqual({
          argv: ['secret', 'set', name, '--repo', 'acme/shop'],
          stdin: secret,
          token: secrets.ANCHOR_SECRETS_TOKEN,
        });
        for (const c of calls) expect(c.argv.join(' ')).not.toContain(secret);
        for (const o of outputs) expect(o).not.toContain(secret);
      }
      // The key: only in the mask line.
      for (const o of outputs)
        expect(o.replaceAll(`::add-mask::${secrets.ANCHOR_API_KEY}`, '')).not.toContain(secrets.ANCHOR_API_KEY);

      // The next push changes nothing and stores nothing.
      const again = await runEvent('push');
      expect(again.map((s) => s.status)).toEqual([0, 0, 0]);
      expect(plan(again[0]!.json).every((a) => a === 'unchanged' || a === 'noop')).toBe(true);
      expect(ghCalls()).toHaveLength(2);
    } finally {
      await emu.stop();
    }
  }, 90_000);

  it('export then apply on an emulator project: the hint names --allow-local-targets; with it, a new URL under the same id keeps the webhook and its secret', async () => {
    const emu = await startBinEmulator(['--allow-local-targets']);
    const before = await startReceiver();
    const after = await startReceiver();
    try {
      const env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: 'emulator-key' });
      const local = { ...env, ANCHOR_ALLOW_LOCAL_TARGETS: '1' };
      const dir = mkdtempSync(join(tmpdir(), 'anchor-as-code-'));
      const secretFile = join(dir, 'secret');
      const made = await runBin(
        ['webhooks', 'create', '--url', before.url, '--event', 'task.completed', '--secret-file', secretFile, '--json'],
        { env: local },
      );
      expect(made.code).toBe(0);
      const { id } = JSON.parse(made.stdout) as { id: string };

      const exported = await runBin(['webhooks', 'export'], { env });
      expect(exported.code).toBe(0);
      const file = join(dir, 'anchor-webhooks.yaml');
      writeFileSync(file, exported.stdout);

      const refused = await runBin(['webhooks', 'apply', '-f', file, '--check'], { env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('the URL must use https:// (got http://)');
      expect(refused.stderr).toContain('pass --allow-local-targets');
      expect(refused.stderr).toContain('ANCHOR_ALLOW_LOCAL_TARGETS=1');
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect((await runBin(['webhooks', 'apply', '-f', file, '--check', '--allow-local-targets'], { env })).code).toBe(
        0,
      );
      expect((await runBin(['webhooks', 'apply', '-f', file, '--check'], { env: local })).code).toBe(0);

      writeFileSync(file, exported.stdout.replace(before.url, after.url));
      const plan = await runBin(['webhooks', 'apply', '-f', file, '--dry-run'], { env: local });
      expect(plan.code).toBe(0);
      expect(plan.stdout).toMatch(new RegExp(`~ update +${after.url} +${id} +url "${before.url}" → "${after.url}"`));
      expect(plan.stdout).toContain('Plan: 0 to create, 1 to update, 0 to delete, 0 unchanged.');
      const applied = await runBin(['webhooks', 'apply', '-f', file, '--yes'], { env: local });
      expect(applied.code).toBe(0);
      const list = JSON.parse((await runBin(['webhooks', 'list', '--json'], { env })).stdout) as unknown[];
      expect(list).toEqual([expect.objectContaining({ id, url: after.url })]);

      // Same webhook, same secret: a delivery to the new URL verifies with the secret of the create.
      const sent = await runBin(['webhooks', 'test', id, '--event', 'task.completed', '--wait'], { env });
      expect(sent.code).toBe(0);
      const [delivery] = await after.waitFor(1);
      expect(
        verifyDelivery({
          secret: readFileSync(secretFile, 'utf8').trim(),
          timestampHeader: delivery!.headers['anchor-timestamp'] as string,
          signatureHeader: delivery!.headers['anchor-signature'] as string,
          rawBody: delivery!.body,
        }),
      ).toBe(true);
      expect(before.requests).toHaveLength(0);
    } finally {
      await before.close();
      await after.close();
      await emu.stop();
    }
  }, 60_000);
});
