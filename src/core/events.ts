// The event catalog: the one list of Anchor webhook event types, shared by validation, prompts,
// completion, the emulator and `anchor events`. Kept free of heavy imports: the CLI loads it often.

export const ENTITIES = ['task', 'session', 'batch', 'intervention', 'identity'] as const;
export type Entity = (typeof ENTITIES)[number];

export interface EventTypeInfo {
  type: string;
  entity: Entity;
  /** One line: when it fires. */
  description: string;
  /** Only in the newer API revision, not in the archived docs. */
  newer?: true;
}

export const EVENT_CATALOG: readonly EventTypeInfo[] = [
  {
    type: 'task.completed',
    entity: 'task',
    description:
      'A task execution finished successfully; carries artifacts and a recording link when a session was used.',
  },
  {
    type: 'task.failed',
    entity: 'task',
    description:
      'A task execution failed; data.error.type says why (automation_failure, invalid_credentials, timeout, agent_error, system_error).',
  },
  {
    type: 'task.cancelled',
    entity: 'task',
    description: 'A task execution was cancelled, from the API or the dashboard.',
  },
  {
    type: 'task.healed',
    entity: 'task',
    description:
      'Self-heal produced a new task version after a failure; points at healed_task_version_id for review or promotion.',
  },
  {
    type: 'session.ready',
    entity: 'session',
    description: 'A browser session is up and can be connected to (newer API revision).',
    newer: true,
  },
  {
    type: 'session.completed',
    entity: 'session',
    description: 'A browser session finished cleanly; carries its duration and resource usage.',
  },
  { type: 'session.failed', entity: 'session', description: 'A browser session failed.' },
  {
    type: 'session.recording.ready',
    entity: 'session',
    description: 'The session recording is uploaded and can be fetched through the Recordings API.',
  },
  { type: 'batch.completed', entity: 'batch', description: 'A batch of sessions finished.' },
  { type: 'batch.failed', entity: 'batch', description: 'A batch of sessions failed.' },
  {
    type: 'intervention.requested',
    entity: 'intervention',
    description: 'An agent needs human input to go on (human in the loop).',
  },
  {
    type: 'intervention.resolved',
    entity: 'intervention',
    description: 'A pending human-intervention request was answered.',
  },
  { type: 'identity.authenticated', entity: 'identity', description: "An identity's login succeeded." },
  { type: 'identity.authentication_failed', entity: 'identity', description: "An identity's login failed." },
];

export const EVENT_TYPES: readonly string[] = EVENT_CATALOG.map((e) => e.type);
const BY_TYPE = new Map(EVENT_CATALOG.map((e) => [e.type, e]));

export function isEventType(value: string): boolean {
  return BY_TYPE.has(value);
}

export function eventInfo(type: string): EventTypeInfo | undefined {
  return BY_TYPE.get(type);
}
