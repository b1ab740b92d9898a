// Scenarios: realistic sequences of linked events (the same session, task, request or batch ids
// across them), beside the event catalog so that completion, help and `events scenarios` agree.
// Declarations only (the help and completion load them); scenario-envelopes.ts builds the events.

export interface ScenarioStep {
  type: string;
  /** Ids this step has of its own instead of the scenario's shared ones (prefix → key). */
  own?: readonly string[];
  /** Extra fields of `data` that link the step to others (set from the shared ids). */
  link?: Readonly<Record<string, string>>;
}

export interface Scenario {
  name: string;
  description: string;
  steps: readonly ScenarioStep[];
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'session-lifecycle',
    description: "A browser session's life: ready, completed, then its recording is ready.",
    steps: [{ type: 'session.ready' }, { type: 'session.completed' }, { type: 'session.recording.ready' }],
  },
  {
    name: 'human-in-the-loop',
    description: 'An agent needs a human: an intervention is requested, answered, then the task completes.',
    steps: [{ type: 'intervention.requested' }, { type: 'intervention.resolved' }, { type: 'task.completed' }],
  },
  {
    name: 'batch',
    description: 'A batch of three tasks: each completes, then the batch does.',
    steps: [
      { type: 'task.completed', own: ['tsk_', 'run_', 'ses_'], link: { batch_id: 'bat_' } },
      { type: 'task.completed', own: ['tsk_', 'run_', 'ses_'], link: { batch_id: 'bat_' } },
      { type: 'task.completed', own: ['tsk_', 'run_', 'ses_'], link: { batch_id: 'bat_' } },
      { type: 'batch.completed' },
    ],
  },
  {
    name: 'failing-task-heals',
    description: 'A task fails, self-heal makes a new version of it, and the next run of that version completes.',
    steps: [{ type: 'task.failed' }, { type: 'task.healed' }, { type: 'task.completed', own: ['run_'] }],
  },
  {
    name: 'identity-login-retry',
    description: "An identity's login fails, then succeeds once its credentials are fixed.",
    steps: [{ type: 'identity.authentication_failed' }, { type: 'identity.authenticated', own: ['ses_'] }],
  },
];

export const SCENARIO_NAMES: readonly string[] = SCENARIOS.map((s) => s.name);

export function scenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** What `--chaos` can add to a trigger or a scenario. */
export const CHAOS_KINDS = ['duplicate', 'reorder', 'stale', 'bad-signature'] as const;
export type ChaosKind = (typeof CHAOS_KINDS)[number];

/** What each chaos kind sends, and the right answer to it. */
export const CHAOS_HELP: Readonly<Record<ChaosKind, string>> = {
  duplicate:
    'the same envelope again with a new delivery id, after a 2xx (right answer: 2xx without acting twice; anchor sees only the 2xx)',
  reorder: 'the events of the scenario out of order (right answer: 2xx)',
  stale: 'a correctly signed delivery 10 minutes old (right answer: a refusal)',
  'bad-signature': 'a delivery with a wrong signature (right answer: a refusal)',
};
