// The envelopes of a scenario, built with the same examples as `events show` and the emulator's
// test events, with their ids linked.
import { randomBytes } from 'node:crypto';
import { buildEnvelope, exampleData, type Envelope } from './event-examples.js';
import type { Scenario } from './scenarios.js';

const randomId = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`;

/**
 * The envelopes of a scenario, in order, one second apart: one id per kind shared by every step
 * (the session, the task, the request), except the ids a step has of its own.
 */
export function buildScenario(s: Scenario, opts: { now: Date; projectId: string }): Envelope[] {
  const shared = new Map<string, string>();
  const sharedId = (prefix: string) => {
    if (!shared.has(prefix)) shared.set(prefix, randomId(prefix));
    return shared.get(prefix)!;
  };
  // failing-task-heals: the version that failed, then the healed one the next run uses.
  const failedVersion = sharedId('tv_');
  const healedVersion = randomId('tv_');
  return s.steps.map((step, i) => {
    const now = new Date(opts.now.getTime() + i * 1000);
    const own = new Map<string, string>();
    const id = (prefix: string) => {
      if (!step.own?.includes(prefix)) return sharedId(prefix);
      if (!own.has(prefix)) own.set(prefix, randomId(prefix));
      return own.get(prefix)!;
    };
    const data = exampleData(step.type, { now, id });
    for (const [key, prefix] of Object.entries(step.link ?? {})) data[key] = sharedId(prefix);
    if (s.name === 'failing-task-heals') {
      if (step.type === 'task.failed') data.task_version_id = failedVersion;
      if (step.type === 'task.healed') {
        data.failed_task_version_id = failedVersion;
        data.healed_task_version_id = healedVersion;
      }
      if (step.type === 'task.completed') data.task_version_id = healedVersion;
    }
    if (s.name === 'batch' && step.type === 'batch.completed') {
      const tasks = s.steps.filter((t) => t.type === 'task.completed').length;
      Object.assign(data, { total_requests: tasks, completed_requests: tasks, failed_requests: 0 });
    }
    return buildEnvelope({ type: step.type, projectId: opts.projectId, now, data });
  });
}
