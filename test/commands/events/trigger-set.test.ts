// `events trigger --set`: a path close to a field of the event's schema but not one of them
// (`data.taskid` for `data.task_id`) is warned about with "did you mean", and still sent as typed
// with the same exit code; a path of the schema, a free-form one and a new one with nothing close
// are not — in-process, against a real receiver on loopback.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers/io.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { checkFieldPath } from '../../../src/core/event-fields.js';
import { buildEnvelope } from '../../../src/core/event-examples.js';

const SECRET = 'whsec_trigger_set_test_0123456789abcdef';
const env = { ANCHOR_WEBHOOK_SECRET: SECRET };
let app: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function trigger(args: string[], answer = 200) {
  app = await startReceiver(() => answer);
  const r = await runCli(['events', 'trigger', ...args, '--forward-to', app.url], { env });
  const bodies = app.requests.map(
    (q) => JSON.parse(q.body.toString()) as { type: string; data: Record<string, unknown> },
  );
  return { ...r, bodies };
}

describe('events trigger --set: paths checked against the event schema', () => {
  it('a typo of a field warns with "did you mean", and the event is still sent with the path as typed', async () => {
    const r = await trigger(['task.completed', '--set', 'data.taskid=tsk_1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'Warning: --set data.taskid=tsk_1: task.completed has no field data.taskid; did you mean data.task_id? It is sent as typed.',
    );
    expect(r.bodies).toHaveLength(1);
    expect(r.bodies[0]!.data.taskid).toBe('tsk_1');
    expect(r.bodies[0]!.data.task_id).toMatch(/^tsk_/);
  });

  it("the exit code is the answer's, warning or not", async () => {
    const r = await trigger(['task.failed', '--set', 'data.eror.type=timeout'], 500);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('did you mean data.error.type?');
    expect(r.bodies).toHaveLength(1);
  });

  it('a path of the schema, a new top-level field with nothing close, and a free-form one do not warn', async () => {
    for (const set of [
      'data.task_id=tsk_wanted',
      'data.artifacts.0.name=x.pdf',
      'data.output.anything=1',
      'data.zzz_custom=1',
    ]) {
      const r = await trigger(['task.completed', '--set', set]);
      expect(r.code, set).toBe(0);
      expect(r.stderr, set).not.toContain('Warning');
      expect(r.bodies, set).toHaveLength(1);
    }
    const kept = await trigger(['task.completed', '--set', 'data.task_id=tsk_wanted']);
    expect(kept.bodies[0]!.data.task_id).toBe('tsk_wanted');
  });

  it('with --payload, the path is checked against the type named on the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-trigger-set-'));
    const payload = join(dir, 'p.json');
    writeFileSync(
      payload,
      JSON.stringify(buildEnvelope({ type: 'session.completed', projectId: 'p', now: new Date() })),
    );
    const r = await trigger(['session.completed', '--payload', payload, '--set', 'data.usage.ai_step=3']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('session.completed has no field data.usage.ai_step; did you mean data.usage.ai_steps?');
  });

  it('in a scenario, a field one of its events has is not warned about; a typo of one is', async () => {
    // human-in-the-loop: intervention.requested and .resolved have no task_id, task.completed has.
    const fine = await trigger(['--scenario', 'human-in-the-loop', '--set', 'data.task_id=tsk_1']);
    expect(fine.code).toBe(0);
    expect(fine.stderr).not.toContain('Warning');
    expect(fine.bodies.map((b) => b.data.task_id)).toEqual(['tsk_1', 'tsk_1', 'tsk_1']);
    const typo = await trigger(['--scenario', 'human-in-the-loop', '--set', 'data.request_idd=hir_1']);
    expect(typo.code).toBe(0);
    expect(typo.stderr).toContain(
      'no event of the scenario has a field data.request_idd; did you mean data.request_id? It is sent as typed.',
    );
    expect(typo.bodies).toHaveLength(3);
  });

  it('checkFieldPath: a field, a missing one with its closest, and nothing close', () => {
    const completed = buildEnvelope({ type: 'task.completed', projectId: 'p', now: new Date() });
    const ready = buildEnvelope({ type: 'session.ready', projectId: 'p', now: new Date() });
    expect(checkFieldPath(completed, ['data', 'task_id'])).toEqual({ ok: true });
    expect(checkFieldPath(ready, ['data', 'task_id'])).toEqual({ ok: false, closest: undefined });
    expect(checkFieldPath(completed, ['data', 'taskid'])).toEqual({ ok: false, closest: 'data.task_id' });
    expect(checkFieldPath(completed, ['dta', 'task_id'])).toEqual({ ok: false, closest: 'data.task_id' });
  });
});
