// The deadlines of the action's waits: the `timeout` input, and polling a condition until one.
import { formatDuration, parseDurationOrBare } from '../../src/lib/duration.js';
import { ActionError, getInput, type Env } from './runner.js';

const MAX_TIMEOUT_MS = 6 * 3_600_000; // GitHub ends a job after 6 hours anyway

/** The `timeout` input in milliseconds (90, 90s, 5m; a bare number is seconds), else the mode's default. */
export function timeoutInput(env: Env, defaultMs: number): number {
  const raw = getInput(env, 'timeout');
  if (!raw) return defaultMs;
  const ms = parseDurationOrBare(raw, 's');
  if (ms === undefined || ms <= 0 || ms > MAX_TIMEOUT_MS)
    throw new ActionError(
      `invalid timeout "${raw.slice(0, 40)}": give a duration up to 6h`,
      'For example timeout: 90s, 5m or 1h (a bare number is seconds).',
    );
  return ms;
}

export const describeMs = formatDuration;

/**
 * Checks `done` every `everyMs` until it gives a value or `deadlineMs` passes (then undefined).
 * The things waited for are files another process writes, so there is nothing to be told by.
 */
export async function pollUntil<T>(
  done: () => T | undefined,
  deadlineMs: number,
  everyMs = 100,
): Promise<T | undefined> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = done();
    if (value !== undefined) return value;
    if (Date.now() >= end) return undefined;
    await new Promise((r) => setTimeout(r, Math.min(everyMs, Math.max(1, end - Date.now()))));
  }
}
