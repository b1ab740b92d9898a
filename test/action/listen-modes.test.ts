// modes start and wait and the post step of the GitHub Action, as the runner runs them
// (test/action/runner.ts) against the emulator: the start → event → wait journey with its state
// handoff, the post's cleanup (the temporary webhook deleted, no process left) even when wait
// failed, and the key in no child's command line.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/listener.js';
import { startTunnel, type Tunnel } from '../helpers/tunnel.js';
import { emit, expectMaskedFirst, inputs, job, KEY, useEmulator, webhooks } from './emulator-job.js';
import { jobEnv, newJob, readFileCommands, runPost, runStep, type Job, type StepResult } from './runner.js';

useEmulator();

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

/** However a test ended: the post step (a no-op when it already ran), then the tunnel. */
async function stop(s: Started): Promise<void> {
  await runPost(s.job);
  await s.tunnel.close();
}

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
        // The same listener for the wait step, and how much of its log the start step showed.
        const forWait = JSON.parse(handed.ANCHOR_ACTION_LISTENER!) as { stderr_shown: number };
        expect(forWait).toEqual({ ...JSON.parse(state.listener!), stderr_shown: expect.any(Number) });
        expect(forWait.stderr_shown).toBeGreaterThan(0);
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
        // The log goes on where the start step's ended.
        expect(s.step.stderr).toContain('Ready: listening on');
        expect(wait.stderr).not.toContain('Ready: listening on');
        expect(wait.stderr).toContain(`Got task.completed ${id}`);
        // listen deleted its temporary webhook when it matched; the post finds nothing to stop.
        expect(await webhooks()).toEqual([]);
        const post = await runPost(s.job);
        expect(post).toMatchObject({ code: 0, stdout: '', stderr: '' });
        for (const pid of tree) await gone(pid);
      } finally {
        await stop(s);
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
      await stop(s);
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
      await stop(s);
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
