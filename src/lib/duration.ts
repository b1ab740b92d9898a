// Durations with units, as flags take them: 250ms, 1s, 30s, 5m, 1h, 2d; and a bare number in the
// unit a flag has always taken, so that `--wait-timeout 90` keeps meaning what it meant.

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The unit a bare number is read in, as each flag took it before units existed. */
export type BareUnit = 'ms' | 's';

/** Milliseconds, or undefined when `text` is not a number followed by ms, s, m, h or d. */
export function parseDuration(text: string): number | undefined {
  const m = text.trim().match(/^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
}

/** As parseDuration, and a bare number (`90`, `0.5`) is read in `bare`; undefined when neither. */
export function parseDurationOrBare(text: string, bare: BareUnit): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * UNIT_MS[bare]);
  return parseDuration(t);
}

/** The shortest way to write `ms` with one unit: 250ms, 90s, 5m, 24h, 7d (a day only from 2). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  if (ms >= 2 * UNIT_MS.d && ms % UNIT_MS.d === 0) return `${ms / UNIT_MS.d}d`;
  for (const unit of ['h', 'm', 's'] as const) if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  return `${ms}ms`;
}
