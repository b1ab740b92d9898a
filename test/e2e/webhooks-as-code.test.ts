// docs/webhooks-as-code.md from the built binary against the emulator: the GitHub Actions recipe's
// steps run in bash as the runner would run them (a stand-in `gh` on PATH records its argv and
// stdin: no real gh, no network), `export` then `apply` on an emulator project with local URLs
// (the hint, then --allow-local-targets), and a pinned id turning a new URL into an update that
// keeps the webhook's secret (a real receiver verifies a delivery with the original secret).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, isolatedEnv, runBin, startBinEmulator, ANCHOR_EXECUTABLE } from '../helpers/bin.js';
import { startReceiver } from '../helpers/receiver.js';
import { verifyDelivery } from '../helpers/verifier.js';

const guide = readFileSync(join(ROOT, 'docs/webhooks-as-code.md'), 'utf8');

interface Step {
  name?: string;
  if?: string;
  run?: string;
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

/** `${{ secrets.NAME }}` replaced as the runner would; any other expression fails the test. */
function resolve(value: string, secrets: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
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
  it('the GitHub Actions recipe: the plan on pull requests, then apply, store the new secrets with gh (on stdin), and no drift on main', async () => {
    const job = recipe();
    const install = job.steps.find((s) => s.run?.includes('npm install -g'));
    expect(install?.run).toMatch(/npm install -g \.\/tools\/anchor-webhooks-cli-\*\.tgz/);
    const fileAt = guide.indexOf('# anchor-webhooks.yaml');
    expect(fileAt).toBeGreaterThan(0);
    const repo = mkdtempSync(join(tmpdir(), 'anchor-recipe-repo-'));
    writeFileSync(join(repo, 'anchor-webhooks.yaml'), guide.slice(fileAt, guide.indexOf('```', fileAt)));
    // The install step's result: `anchor` on PATH (the tarball's install is the package test's job).
    const bin = mkdtempSync(join(tmpdir(), 'anchor-recipe-bin-'));
    symlinkSync(ANCHOR_EXECUTABLE, join(bin, 'anchor'));
    const ghLog = join(mkdtempSync(join(tmpdir(), 'anchor-gh-')), 'calls.ndjson');
    standInGh(bin, ghLog);
    const secrets = { ANCHOR_API_KEY: 'ci-key', ANCHOR_SECRETS_TOKEN: 'token-that-may-write-secrets' };

    const emu = await startBinEmulator();
    try {
      const base = isolatedEnv({
        PATH: `${bin}:${process.env.PATH}`,
        ANCHOR_API_URL: emu.url,
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/shop',
      });
      let runnerTemp = '';
      const outputs: string[] = [];
      /** Runs the steps of one event as the runner does: a new job's RUNNER_TEMP, job env, step env, `bash -eo pipefail`. */
      const runEvent = (event: string) => {
        runnerTemp = mkdtempSync(join(tmpdir(), 'anchor-runner-temp-'));
        return job.steps
          .filter((s) => s.run !== undefined && s !== install && runsOn(s, event))
          .map((s) => {
            const env: Record<string, string> = { ...base, RUNNER_TEMP: runnerTemp };
            for (const [k, v] of Object.entries({ ...job.env, ...s.env })) env[k] = resolve(v, secrets);
            const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', s.run!], {
              cwd: repo,
              env,
              encoding: 'utf8',
              timeout: 30_000,
            });
            outputs.push(r.stdout, r.stderr);
            return { name: s.name, status: r.status, stdout: r.stdout, stderr: r.stderr };
          });
      };
      const ghCalls = (): GhCall[] =>
        existsSync(ghLog)
          ? readFileSync(ghLog, 'utf8')
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l) as GhCall)
          : [];
      const webhooks = async () =>
        JSON.parse((await runBin(['webhooks', 'list', '--json'], { env: { ...base, ...secrets } })).stdout) as Array<{
          id: string;
        }>;

      // A pull request: the plan, nothing sent, exit 0.
      const pr = runEvent('pull_request');
      expect(pr.map((s) => s.name)).toEqual(['Plan']);
      expect(pr[0]!.status).toBe(0);
      expect(pr[0]!.stdout).toContain('Plan: 2 to create, 0 to update, 0 to delete, 0 unchanged.');
      expect(pr[0]!.stdout).toContain('Dry run: nothing was sent.');
      expect(await webhooks()).toEqual([]);

      // Main: apply, store each new secret with gh (from stdin, with the token), then no drift.
      const main = runEvent('push');
      expect(main.map((s) => [s.name, s.status])).toEqual([
        ['Apply', 0],
        ['Store the secrets of new webhooks', 0],
        ['Check for drift', 0],
      ]);
      expect(main[2]!.stdout).toContain('No drift');
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

      // The next push changes nothing and stores nothing.
      const again = runEvent('push');
      expect(again.map((s) => s.status)).toEqual([0, 0, 0]);
      expect(again[0]!.stdout).toContain('Nothing to do');
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
