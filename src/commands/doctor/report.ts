// What `anchor doctor` reports: one result per check, in a fixed order, and the deadlines and read
// limits every check keeps to (a doctor that hangs on a dead tunnel answers nothing).

/** The checks, in the order they are reported. */
export const CHECK_IDS = [
  'key',
  'api',
  'clock',
  'webhook_url',
  'webhook_state',
  'deliveries',
  'secret',
  'listener',
  'tunnel',
  'app',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** The checks that need --webhook. */
export const WEBHOOK_CHECKS: readonly CheckId[] = ['webhook_url', 'webhook_state', 'deliveries'];

/** One check's outcome, as `--json` prints it. */
export interface DoctorCheck {
  id: CheckId;
  ok: boolean;
  /** Present (true) when the check could not run; `detail` says why. ok is then true: nothing failed. */
  skipped?: true;
  detail: string;
  /** On a failure: what to do about it. */
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

/** The longest any one network step of a check waits (a request, a DNS lookup, a probe). */
export const CHECK_DEADLINE_MS = 5000;
/** The most of an answer a check reads: none needs more than a page of 20 deliveries. */
export const MAX_ANSWER_BYTES = 1024 * 1024;
/** A probe of a URL that is not the API reads only this much: any answer proves it reachable. */
export const MAX_PROBE_BYTES = 16 * 1024;
/** How many of the newest deliveries are summarised. */
export const DELIVERY_SAMPLE = 20;

export const passed = (id: CheckId, detail: string): DoctorCheck => ({ id, ok: true, detail });
export const failed = (id: CheckId, detail: string, fix: string): DoctorCheck => ({ id, ok: false, detail, fix });
export const skipped = (id: CheckId, why: string): DoctorCheck => ({ id, ok: true, skipped: true, detail: why });
