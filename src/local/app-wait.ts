// How long an app may take to answer a forwarded delivery: Anchor's own wait (after which it counts
// the delivery failed and sends it again), listen's relay deadline (--forward-timeout), and the
// warning a slow app gets. One constant for Anchor's wait, so the warning never drifts from it.

/** How long Anchor waits for an answer before it gives up on the attempt and retries the delivery. */
export const ANCHOR_WAIT_MS = 10_000;

/** listen's relay deadline unless --forward-timeout raises it (for local debugging): Anchor's wait. */
export const DEFAULT_FORWARD_TIMEOUT_MS = ANCHOR_WAIT_MS;

/** Whether an answer that took `latencyMs` (or none, timed out) would be lost to Anchor's wait. */
export function isSlow(latencyMs: number, timedOut: boolean): boolean {
  return timedOut || latencyMs > ANCHOR_WAIT_MS;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The warning for a slow app, said whatever --forward-timeout is: what Anchor does is the point.
 * `timedOutAfterMs`: the relay gave up then (listen answered Anchor 504).
 */
export function slowAppWarning(a: { latencyMs: number } | { timedOutAfterMs: number }): string {
  const advice = `Anchor stops waiting after ${seconds(ANCHOR_WAIT_MS)} and will send this delivery again: answer first, work after`;
  if ('latencyMs' in a) return `your app took ${seconds(a.latencyMs)}; ${advice}`;
  return `your app did not answer within ${seconds(a.timedOutAfterMs)} (--forward-timeout), so listen answered Anchor 504; ${advice}`;
}
