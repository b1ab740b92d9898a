// Pure formatting for human output: aligned tables, relative times, styles that switch off with colour.

import type { ChalkInstance } from 'chalk';
import type { ColorLevel } from '../lib/color.js';

export interface Style {
  bold: (s: string) => string;
  dim: (s: string) => string;
  green: (s: string) => string;
  red: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
}

const plain = (s: string) => s;
const noStyle: Style = { bold: plain, dim: plain, green: plain, red: plain, yellow: plain, cyan: plain };

// chalk is loaded only by a command line that writes colour (a terminal, no --json, no NO_COLOR):
// this module is loaded at every start, and piped or JSON output never needs chalk.
let Chalk: (new (options: { level: ColorLevel }) => ChalkInstance) | undefined;
const styles = new Map<ColorLevel, Style>();

/** Loads chalk, once; main() awaits it before a command runs whose output gets colour. */
export async function loadColour(): Promise<void> {
  Chalk ??= (await import('chalk')).Chalk;
}

/** Styles for a stream: plain with colour off; chalk's at the level lib/color.ts decided (true is 1). */
export function style(enabled: boolean | ColorLevel): Style {
  const level: ColorLevel = enabled === true ? 1 : enabled === false ? 0 : enabled;
  if (level === 0) return noStyle;
  if (!Chalk) throw new Error('style(): colour was asked for before loadColour() finished');
  let made = styles.get(level);
  if (!made) {
    const c = new Chalk({ level });
    made = { bold: c.bold, dim: c.dim, green: c.green, red: c.red, yellow: c.yellow, cyan: c.cyan };
    styles.set(level, made);
  }
  return made;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
// eslint-disable-next-line no-control-regex
const ANSI_TEST = /\u001b\[[0-9;]*m/;
/** Code points, escape codes aside: the width of text without wide characters. */
export const visibleLength = (s: string) => [...s.replace(ANSI, '')].length;

/** The number of terminal cells a string takes (string-width in a terminal; code points elsewhere). */
export type CellWidth = (s: string) => number;

/** A table column: free-text ones (URL, description, error) are cut with … to fit the terminal. */
export interface Column {
  header: string;
  free?: boolean;
  /** The least width to lay it out at (so later rows, printed apart, still line up). */
  min?: number;
}

/** How narrow a free-text column may get (its header is cut too): `http…`. */
const FREE_FLOOR = 5;
let graphemes: Intl.Segmenter | undefined;

/** `s` cut to at most `max` cells, ending with … when cut; whole graphemes only. */
export function cut(s: string, max: number, width: CellWidth): string {
  if (width(s) <= max) return s;
  if (max <= 1) return max === 1 ? '…' : '';
  graphemes ??= new Intl.Segmenter();
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(s)) {
    const w = width(segment);
    if (used + w > max - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/**
 * Column widths: each column's widest cell, and when the row would be wider than `maxWidth` the
 * free-text columns give way, the widest first, down to FREE_FLOOR cells (past that the row wraps).
 */
export function layout(columns: Column[], rows: string[][], width: CellWidth, maxWidth?: number): number[] {
  const widths = columns.map((c, i) =>
    Math.max(visibleLength(c.header), c.min ?? 0, ...rows.map((r) => width(r[i] ?? ''))),
  );
  if (maxWidth === undefined) return widths;
  let total = widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1);
  while (total > maxWidth) {
    let widest = -1;
    columns.forEach((c, i) => {
      if (c.free && widths[i]! > FREE_FLOOR && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    });
    if (widest < 0) break;
    widths[widest]!--;
    total--;
  }
  return widths;
}

/** One row laid out at `widths`: free-text cells (and any plain cell too wide) cut, every cell but the last padded. */
export function row(cells: string[], columns: Column[], widths: number[], width: CellWidth): string {
  return cells
    .map((c, i) => {
      // A coloured cell is never cut (its codes would be): fixed columns are laid out wide enough.
      const fitted = (columns[i]?.free || width(c) > widths[i]!) && !ANSI_TEST.test(c) ? cut(c, widths[i]!, width) : c;
      return i === cells.length - 1 ? fitted : fitted + ' '.repeat(Math.max(0, widths[i]! - width(fitted)));
    })
    .join('  ')
    .trimEnd();
}

/** Columns padded to their widest cell (the last is not padded), free-text ones cut to fit `maxWidth`. */
export function table(
  columns: Array<Column | string>,
  rows: string[][],
  s: Style,
  options: { width?: CellWidth; maxWidth?: number } = {},
): string {
  const cols = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const width = options.width ?? visibleLength;
  const widths = layout(cols, rows, width, options.maxWidth);
  return [headerRow(cols, widths, width, s), ...rows.map((r) => row(r, cols, widths, width))].join('\n') + '\n';
}

/** The header line at `widths`: a free column's header is cut like its cells. */
export function headerRow(columns: Column[], widths: number[], width: CellWidth, s: Style): string {
  const headers = columns.map((c, i) => s.bold(cut(c.header, widths[i]!, width)));
  return row(
    headers,
    columns.map((c) => ({ header: c.header })),
    widths,
    width,
  );
}

/** Tab-separated rows for pipes: stable, greppable, no padding or colour; a tab or newline inside a cell is escaped, so a row is one line. */
export function tsv(rows: string[][]): string {
  return rows.map((r) => r.map(escapeControl).join('\t')).join('\n') + (rows.length ? '\n' : '');
}

export function relativeTime(iso: string | null | undefined, now: Date): string {
  if (!iso) return '-';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const secs = Math.round((now.getTime() - t) / 1000);
  const future = secs < 0;
  const a = Math.abs(secs);
  const [n, unit] =
    a < 45
      ? [0, 'now']
      : a < 3600
        ? [Math.round(a / 60), 'minute']
        : a < 86400
          ? [Math.round(a / 3600), 'hour']
          : a < 86400 * 30
            ? [Math.round(a / 86400), 'day']
            : [Math.round(a / (86400 * 30)), 'month'];
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

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Someone else's text made safe for a terminal: C0 and C1 control characters and DEL are shown
 * escaped (`\n`, `\t`, `\x1b`…), so a request, a description or an API message cannot move the
 * cursor, recolour or retitle the user's terminal, and a TSV row stays one line. Bidirectional
 * controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) are shown as `\u202e`…, so an id
 * or an event type cannot display reversed, as another id, or reorder the cells after it; and the
 * line and paragraph separators U+2028/U+2029, which some terminals and viewers break lines at, as
 * `\u2028`/`\u2029`. (Backslashes are left as they are, as `cat -v` does, so JSON in a cell stays JSON.)
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return (
      NAMED_ESCAPES[c] ??
      (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
    );
  });
}

/**
 * A terminal's width when it is one we can lay out for: some terminals (`script`, `unbuffer`,
 * some CI runners) report 0 or nonsense, which is unknown, not a width.
 */
export function usableColumns(columns: unknown): number | undefined {
  return typeof columns === 'number' && Number.isInteger(columns) && columns >= 20 && columns <= 10_000
    ? columns
    : undefined;
}

/**
 * The width function for laying out a table in a terminal: string-width (wide characters and
 * emoji take two cells), loaded only when a table is drawn.
 */
export async function terminalCellWidth(): Promise<CellWidth> {
  const { default: stringWidth } = await import('string-width');
  return (s) => stringWidth(s);
}

/** What is shown in place of a secret (the API key, a signing secret) wherever one would appear. */
export const REDACTED = '[REDACTED]';
