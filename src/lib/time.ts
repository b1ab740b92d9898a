// Times as flags take them, and waiting that a signal can cut short.
import { parseDuration } from './duration.js';

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A point in time as a flag gave it: `text` as typed, and `at(now)`. A relative one (`30m`) is
 * resolved only when the command reads the clock, so parsing a flag never reads it.
 */
export interface PointInTime {
  readonly text: string;
  at(now: Date): Date;
}

/** An ISO 8601 time, or a relative one (`30m`, `1h`, `2d`: that long before now); undefined if neither. */
export function parsePointInTime(text: string): PointInTime | undefined {
  const ago = parseDuration(text);
  if (ago !== undefined) return { text, at: (now) => new Date(now.getTime() - ago) };
  if (!ISO.test(text.trim())) return undefined;
  const t = Date.parse(text.trim());
  return Number.isNaN(t) ? undefined : { text, at: () => new Date(t) };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
