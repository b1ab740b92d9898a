// mode run of the GitHub Action as the runner runs it (test/action/runner.ts), from its committed
// bundle, against the emulator: the --json document and exit code as outputs, a failure as one
// ::error:: line, and the API key masked first and in no other line or output.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchor, expectMaskedFirst, inputs, job, KEY, useEmulator, webhooks } from './emulator-job.js';
import { runStep } from './runner.js';

useEmulator();

describe('mode run', () => {
  it('outputs the plan of apply --dry-run as json, and exit-code 0; the key is masked first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-action-apply-'));
    const file = join(dir, 'anchor-webhooks.yaml');
    writeFileSync(file, 'webhooks:\n  - url: https://api.example.com/anchor/webhooks\n    events: [task.completed]\n');
    const step = await runStep(job(), 'main', {
      inputs: inputs('run', `anchor webhooks apply -f '${file}' --dry-run`),
    });
    expect(step.code, step.stdout + step.stderr).toBe(0);
    expect(step.outputs['exit-code']).toBe('0');
    expect(JSON.parse(step.outputs.json!)).toEqual({
      plan: [{ action: 'create', url: 'https://api.example.com/anchor/webhooks' }],
      applied: false,
    });
    expectMaskedFirst(step);
    expect(await webhooks()).toEqual([]);
  });

  it("fails the step on anchor's non-zero exit, with its message as ::error:: and its exit code as output", async () => {
    const step = await runStep(job(), 'main', { inputs: inputs('run', 'webhooks get wh_01M942AE9M6HPBF1K4F0Q4M9MP') });
    expect(step.code).toBe(1);
    expect(step.outputs['exit-code']).toBe('5');
    expect(step.stdout).toMatch(/^::error::anchor webhooks get exited 5: .*wh_01M942AE9M6HPBF1K4F0Q4M9MP/m);
    expect(step.stdout).not.toMatch(/\n\s+at /);
    expectMaskedFirst(step);
  });

  it("hands anchor's ::add-mask:: of a secret it prints to the runner, and the secret nowhere else", async () => {
    const step = await runStep(job(), 'main', {
      inputs: inputs('run', 'webhooks create --url https://api.example.com/hooks --event task.completed'),
    });
    expect(step.code, step.stdout + step.stderr).toBe(0);
    const created = JSON.parse(step.outputs.json!) as { id: string; secret: string };
    expect(created.secret).toMatch(/\S{16,}/);
    const lines = step.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([`::add-mask::${KEY}`, `::add-mask::${created.secret}`]);
    expect(step.stdout.split(created.secret)).toHaveLength(2);
    expect(step.stderr).not.toContain(created.secret);
    expectMaskedFirst(step);
    const r = await anchor(['webhooks', 'delete', created.id, '--yes']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('stops a command that outlives the timeout input (SIGINT) and fails the step saying so', async () => {
    // The emulator serves until it is interrupted: the stand-in for a command that hangs.
    const step = await runStep(job(), 'main', { inputs: inputs('run', 'emulator --port 0', { timeout: '1s' }) });
    expect(step.code).toBe(1);
    expect(step.stdout).toContain('::error::anchor emulator did not finish within 1s and was stopped');
    expect(step.outputs['exit-code']).toMatch(/^\d+$/);
    expectMaskedFirst(step);
  });

  it('refuses args it cannot split, and an unknown mode, before running anchor', async () => {
    const bad = await runStep(job(), 'main', { inputs: inputs('run', "webhooks list --limit '3") });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("::error::args has a ' that is never closed");
    expect(bad.outputs).toEqual({});
    expectMaskedFirst(bad);
    const mode = await runStep(job(), 'main', { inputs: inputs('listen', '') });
    expect(mode.code).toBe(1);
    expect(mode.stdout).toContain('::error::unknown mode "listen": give run, start or wait');
  });
});
