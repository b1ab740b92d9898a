// The GitHub Action as the runner runs it (test/action/runner.ts), from its committed bundle,
// against the emulator: run mode's outputs and failure, the start → event → wait journey with its
// state handoff, the post step's cleanup even when wait failed, and the API key masked first and
// nowhere else: not in the log, the outputs, or a child's command line.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { runBin } from '../helpers/bin.js';
import { waitFor } from '../helpers/listener.js';
import { startTunnel, type Tunnel } from '../helpers/tunnel.js';
import { jobEnv, newJob, readFileCommands, runPost, runStep, type Job, type StepResult } from './runner.js';

const KEY = 'anchor-action-test-key-5f0c1d';
let emu: CheckedEmulator;
beforeAll(async () => {
  emu = await startCheckedEmulator({ apiKeys: [KEY] });
});
afterAll(async () => {
  await emu.close();
  expect(emu.violations).toEqual([]);
});

const job = (extra: Record<string, string> = {}) => newJob({ ANCHOR_ALLOW_LOCAL_TARGETS: '1', ...extra });
const inputs = (mode: string, args: string, more: Record<string, string> = {}) => ({
  mode,
  args,
  'api-key': KEY,
  'api-url': emu.url,
  ...more,
});

/** The key is announced once, first, as a mask; it is in no other line the step printed. */
function expectMaskedFirst(step: StepResult): void {
  expect(step.stdout.split('\n')[0]).toBe(`::add-mask::${KEY}`);
  expect(step.stdout.split(KEY)).toHaveLength(2);
  expect(step.stderr).not.toContain(KEY);
  for (const value of Object.values(step.outputs)) expect(value).not.toContain(KEY);
}

async function webhooks(): Promise<{ id: string; url: string }[]> {
  const r = await runBin(['webhooks', 'list', '--json'], {
    env: { ...newJob().env, ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: KEY },
  });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { id: string; url: string }[];
}

async function emit(type: string, data: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${emu.url}/_emulator/events`, {
    method: 'POST',
    headers: { 'anchor-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ type, data }),
  });
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { id: string }).id;
}

/** Running, not a zombie: the supervisor's parent (the step) is gone, and init reaps when it will. */
const isRunning = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
};
const gone = (pid: number) => waitFor(`process ${pid} to end`, () => (isRunning(pid) ? undefined : true));

/** `pid` and its descendants (Linux /proc): the supervisor, listen, and anything listen started. */
function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++)
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === tree[i]) tree.push(Number(entry));
      } catch {
        // Gone meanwhile.
      }
    }
  return tree;
}

const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};

interface Started {
  job: Job;
  step: StepResult;
  tunnel: Tunnel;
  pid: number;
}

/** A start step behind a stand-in tunnel (its URL registered before the listener exists). */
async function start(listenFlags: string, more: Record<string, string> = {}): Promise<Started> {
  const tunnel = await startTunnel();
  const j = job();
  const step = await runStep(j, 'main', {
    inputs: inputs('start', `--port 0 --register ${tunnel.url} ${listenFlags}`, more),
  });
  expect(step.code, step.stdout + step.stderr).toBe(0);
  tunnel.to(step.outputs.url!);
  const state = readFileCommands(j.stateFile);
  const pid = (JSON.parse(state.listener!) as { pid: number }).pid;
  return { job: j, step, tunnel, pid };
}

describe('mode run', () => {
  it('outputs the plan of apply --dry-run as json, and exit-code 0; the key is masked first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-action-apply-'));
    const file = join(dir, 'anchor-webhooks.yaml');
    writeFileSync(file, 'webhooks:\n  - url: https://api.example.com/anchor/webhooks\n    events: [task.completed]\n');
    const step = await runStep(job(), 'main', { inputs: inputs('run', `webhooks apply -f '${file}' --dry-run`) });
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

describe('modes start and wait, and the post step', () => {
  it(
    'start hands the listener on; wait outputs the matching event; post has nothing left to do',
    { timeout: 60_000 },
    async () => {
      const s = await start('--until task.completed --match data.task_id=tsk_123 --wait-timeout 60s');
      try {
        expectMaskedFirst(s.step);
        const state = readFileCommands(s.job.stateFile);
        const handed = jobEnv(s.job);
        expect(handed.ANCHOR_ACTION_LISTENER).toBe(state.listener);
        expect(s.step.outputs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        expect(isRunning(s.pid)).toBe(true);
        // The key reached listen through its environment, never its command line.
        const tree = processTree(s.pid);
        const lines = tree.map(commandLine);
        expect(lines.join('\n')).toContain('webhooks listen');
        for (const line of lines) expect(line).not.toContain(KEY);
        const [hook] = await webhooks();
        expect(hook!.url).toBe(s.tunnel.url);

        await emit('task.completed', { task_id: 'tsk_other' });
        const id = await emit('task.completed', { task_id: 'tsk_123' });
        const wait = await runStep(s.job, 'main', { inputs: inputs('wait', ''), env: handed });
        expect(wait.code, wait.stdout + wait.stderr).toBe(0);
        expect(wait.outputs['exit-code']).toBe('0');
        const event = JSON.parse(wait.outputs.json!) as { id: string; type: string; data: { task_id: string } };
        expect(event).toMatchObject({ id, type: 'task.completed', data: { task_id: 'tsk_123' } });
        expectMaskedFirst(wait);
        // listen deleted its temporary webhook when it matched; the post finds nothing to stop.
        expect(await webhooks()).toEqual([]);
        const post = await runPost(s.job);
        expect(post).toMatchObject({ code: 0, stdout: '', stderr: '' });
        for (const pid of tree) await gone(pid);
      } finally {
        await s.tunnel.close();
      }
    },
  );

  it('post stops the listener and deletes its webhook when wait timed out', { timeout: 60_000 }, async () => {
    const s = await start('--until task.completed --match data.task_id=never');
    try {
      expect(await webhooks()).toHaveLength(1);
      const tree = processTree(s.pid);
      expect(tree.length).toBeGreaterThanOrEqual(2);
      const wait = await runStep(s.job, 'main', {
        inputs: inputs('wait', '', { timeout: '1s' }),
        env: jobEnv(s.job),
      });
      expect(wait.code).toBe(1);
      expect(wait.stdout).toContain('::error::the listener did not end within 1s (the timeout input)');
      expect(isRunning(s.pid)).toBe(true);

      const post = await runPost(s.job);
      expect(post.code).toBe(0);
      expect(post.stdout).toContain('Stopping anchor webhooks listen');
      expect(post.stderr).toMatch(/Deleted the temporary webhook wh_/);
      expect(post.stdout).not.toContain('::warning::');
      expect(await webhooks()).toEqual([]);
      for (const pid of tree) await gone(pid);
    } finally {
      await s.tunnel.close();
    }
  });

  it("wait fails with listen's own timeout message and exit code; post is quiet", { timeout: 60_000 }, async () => {
    const s = await start('--until task.completed --wait-timeout 1s');
    try {
      const wait = await runStep(s.job, 'main', { inputs: inputs('wait', ''), env: jobEnv(s.job) });
      expect(wait.code).toBe(1);
      expect(wait.outputs['exit-code']).toBe('1');
      expect(wait.outputs.json).toBe('');
      expect(wait.stdout).toMatch(/^::error::anchor webhooks listen exited 1: waited 1s for task\.completed/m);
      expect(await webhooks()).toEqual([]);
      const post = await runPost(s.job);
      expect(post).toMatchObject({ code: 0, stdout: '', stderr: '' });
    } finally {
      await s.tunnel.close();
    }
  });

  it("start fails with listen's message when listen cannot start, and leaves nothing running", async () => {
    // A loopback URL without ANCHOR_ALLOW_LOCAL_TARGETS: listen refuses it before registering.
    const j = newJob();
    const step = await runStep(j, 'main', {
      inputs: inputs('start', '--port 0 --register http://127.0.0.1:9/ --until task.completed'),
    });
    expect(step.code).toBe(1);
    expect(step.stdout).toMatch(/^::error::anchor webhooks listen exited 2: /m);
    expect(step.outputs['exit-code']).toBe('2');
    expect(jobEnv(j)).toEqual({});
    const pid = (JSON.parse(readFileCommands(j.stateFile).listener!) as { pid: number }).pid;
    await gone(pid);
    const post = await runPost(j);
    expect(post).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await webhooks()).toEqual([]);
  });

  it('refuses listen flags it passes itself, and a wait with no start before it', async () => {
    const refused = job();
    const own = await runStep(refused, 'main', {
      inputs: inputs('start', '--ready-file /tmp/x --until task.completed'),
    });
    expect(own.code).toBe(1);
    expect(own.stdout).toContain('::error::args must not contain --ready-file');
    expect(readFileSync(refused.stateFile, 'utf8')).toBe('');
    const wait = await runStep(job(), 'main', { inputs: inputs('wait', '') });
    expect(wait.code).toBe(1);
    expect(wait.stdout).toContain('::error::mode wait has no listener to wait for: ANCHOR_ACTION_LISTENER is not set');
    const forged = await runStep(job(), 'main', {
      inputs: inputs('wait', ''),
      env: { ANCHOR_ACTION_LISTENER: '{"v":1,"pid":"1; rm -rf /"}' },
    });
    expect(forged.code).toBe(1);
    expect(forged.stdout).toContain('::error::ANCHOR_ACTION_LISTENER is not the JSON the start step wrote');
  });

  it('post of a run or wait step (no state) succeeds and prints nothing', async () => {
    const post = await runPost(job());
    expect(post).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});
