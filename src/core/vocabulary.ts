// The named values the command declarations share with the commands that use them: delivery
// statuses, durations, scenarios and chaos kinds, receiver checks. One module on purpose: the
// declarations are in the main chunk, and every module they share with a lazily loaded command
// becomes a file of its own loaded at every start (esbuild's code splitting); one module is one
// file. The modules named after each part re-export it, for the commands.

// --- Delivery statuses ---
// The statuses the delivery log can be filtered by (the newer API revision's four).
export const DELIVERY_FILTER_STATUSES = ['pending', 'succeeded', 'failed', 'dead'] as const;

// --- Durations ---
// Durations with units, as flags take them: 250ms, 1s, 30s, 5m, 1h, 2d.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or undefined when `text` is not a number followed by ms, s, m, h or d. */
export function parseDuration(text: string): number | undefined {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

// --- Scenarios and chaos ---
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
  duplicate: 'the same envelope again with a new delivery id, after a 2xx (right answer: 2xx)',
  reorder: 'the events of the scenario out of order (right answer: 2xx)',
  stale: 'a correctly signed delivery 10 minutes old (right answer: a refusal)',
  'bad-signature': 'a delivery with a wrong signature (right answer: a refusal)',
};

// --- Receiver checks ---
// What Anchor requires of a receiver, as `anchor webhooks check-receiver` checks it: each check's
// id, what it sends, the right answer, whether it is required, and the fix in one sentence.
// Declarations only (completion and help load them); local/check-receiver.ts sends them.

export interface ReceiverCheck {
  id: string;
  sends: string;
  /** The right answer: a 2xx, or anything but a 2xx. */
  expect: '2xx' | 'not 2xx';
  required: boolean;
  fix: string;
}

export const RECEIVER_CHECKS = [
  {
    id: 'accepts_valid',
    sends: 'a correct delivery',
    expect: '2xx',
    required: true,
    fix: "Your endpoint refused a correct delivery: check that it uses this webhook's secret, computes HMAC-SHA256 of `v0:<t>:<raw body>`, and answers 2xx within 10 s (do slow work after answering).",
  },
  {
    id: 'raw_body',
    sends: 'a correct delivery whose JSON has legal but unusual formatting (spacing, key order, \\u escapes)',
    expect: '2xx',
    required: true,
    fix: "Verify the raw request bytes before any JSON middleware re-serialises them: Express `app.post(path, express.raw({ type: 'application/json' }), handler)` before `express.json()`; Fastify `addContentTypeParser('application/json', { parseAs: 'buffer' }, …)`; Next.js `await req.text()` in the route handler (Pages Router: `export const config = { api: { bodyParser: false } }`); Hono `await c.req.text()` before `c.req.json()`.",
  },
  {
    id: 'rejects_bad_signature',
    sends: 'a delivery with a wrong v1=',
    expect: 'not 2xx',
    required: true,
    fix: 'Compare every v1= of Anchor-Signature with your HMAC (in constant time) and answer 401 when none matches.',
  },
  {
    id: 'rejects_stale',
    sends: 'a correctly signed delivery with a timestamp 10 minutes old',
    expect: 'not 2xx',
    required: true,
    fix: 'Refuse a delivery whose t= is more than a few minutes from your clock: an old, correctly signed delivery is a replay.',
  },
  {
    id: 'rejects_missing_headers',
    sends: 'a delivery without the Anchor-* headers',
    expect: 'not 2xx',
    required: true,
    fix: 'Answer 400 or 401 when Anchor-Signature or Anchor-Timestamp is missing, before doing anything else.',
  },
  {
    id: 'rotation',
    sends: 'two v1= values, only the second one right (as during a secret rotation)',
    expect: '2xx',
    required: true,
    fix: 'During a secret rotation Anchor-Signature carries several v1= values: accept the delivery when any of them matches, not only the first.',
  },
  {
    id: 'rejects_timestamp_mismatch',
    sends: 'a t= that differs from the Anchor-Timestamp header',
    expect: 'not 2xx',
    required: false,
    fix: 'Check that the Anchor-Timestamp header equals the t= of Anchor-Signature.',
  },
  {
    id: 'duplicate_ack',
    sends: 'the same envelope id again, with a new delivery id',
    expect: '2xx',
    required: false,
    fix: 'Deliveries are at least once: when an event id was already processed, answer 2xx again instead of an error (or Anchor retries it).',
  },
  {
    id: 'unknown_event_type',
    sends: 'a correctly signed event of a type not in the catalog yet',
    expect: '2xx',
    required: false,
    fix: 'Answer 2xx to event types you do not handle yet: Anchor adds new ones, and a refusal makes it retry.',
  },
  {
    id: 'large_body',
    sends: 'a correct delivery of 256 KiB',
    expect: '2xx',
    required: false,
    fix: "Accept bodies of at least 1 MiB on the webhook route (raise your framework's body size limit there).",
  },
] as const satisfies readonly ReceiverCheck[];

export type ReceiverCheckId = (typeof RECEIVER_CHECKS)[number]['id'];
export const RECEIVER_CHECK_IDS = RECEIVER_CHECKS.map((c) => c.id) as ReceiverCheckId[];
