// Times as flags take them, and waiting that a signal can cut short.
import { parseDuration } from './duration.js';

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 time, or a relative one (`30m`, `1h`, `2d`: that long before now), as ISO; undefined if neither. */
export function parseTimeFlag(text: string, now: Date): string | undefined {
  const rel = parseDuration(text);
  if (rel !== undefined) return new Date(now.getTime() - rel).toISOString();
  if (!ISO.test(text.trim())) return undefined;
  const t = Date.parse(text.trim());
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
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
