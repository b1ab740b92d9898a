// Pure formatting for human output: aligned tables, relative times, styles that switch off with colour.

export interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
  green: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

export function style(enabled: boolean): Style {
  return enabled
    ? { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) }
    : { bold: plain, dim: plain, green: plain, red: plain, yellow: plain, cyan: plain };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
export const visibleLength = (s: string) => [...s.replace(ANSI, '')].length;

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], rows: string[][], s: Style): string {
  const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return [line(headers.map((h) => s.bold(h))), ...rows.map(line)].join('\n') + '\n';
}

/** Tab-separated rows for pipes: stable, greppable, no padding or colour. */
export function tsv(rows: string[][]): string {
  return rows.map((r) => r.join('\t')).join('\n') + (rows.length ? '\n' : '');
}

export function relativeTime(iso: string | null | undefined, now: Date): string {
  if (!iso) return '-';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const secs = Math.round((now.getTime() - t) / 1000);
  const future = secs < 0;
  const a = Math.abs(secs);
  const [n, unit] =
    a < 45 ? [0, 'now'] : a < 3600 ? [Math.round(a / 60), 'minute'] : a < 86400 ? [Math.round(a / 3600), 'hour'] : a < 86400 * 30 ? [Math.round(a / 86400), 'day'] : [Math.round(a / (86400 * 30)), 'month'];
  if (unit === 'now') return 'just now';
  const phrase = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return future ? `in ${phrase}` : `${phrase} ago`;
}

export function truncate(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** The last 4 characters of a key, only when that is at most a third of it. */
export function maskKey(key: string): string {
  return key.length < 12 ? '****' : `…${key.slice(-4)}`;
}

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

/**
 * Someone else's text made safe for a terminal: C0 and C1 control characters and DEL are shown
 * escaped (`\n`, `\t`, `\x1b`…), so a request, a description or an API message cannot move the
 * cursor, recolour or retitle the user's terminal. Backslashes are doubled so the escape is unambiguous.
 */
export function escapeControl(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\\]/g, (c) => NAMED_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * A terminal's width when it is one we can lay out for: some terminals (`script`, `unbuffer`,
 * some CI runners) report 0 or nonsense, which is unknown, not a width.
 */
export function usableColumns(columns: unknown): number | undefined {
  return typeof columns === 'number' && Number.isInteger(columns) && columns >= 20 && columns <= 10_000 ? columns : undefined;
}
