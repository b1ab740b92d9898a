// Printing delivery-log rows: a table in a terminal, tab-separated when piped, NDJSON for --follow.
// Every cell came from the API: someone else's text, escaped before it reaches a terminal.
import type { Context } from '../../../context.js';
import type { DeliveryRow } from '../../../api/schemas.js';
import { EVENT_TYPES } from '../../../core/events.js';
import {
  escapeControl,
  headerRow,
  layout,
  relativeTime,
  row,
  style,
  terminalCellWidth,
  tsv,
  usableColumns,
  type CellWidth,
  type Column,
  type Style,
} from '../../../ui/format.js';

export const FINAL_STATUSES = new Set(['succeeded', 'failed', 'dead']);

function colourStatus(status: string, s: Style): string {
  if (status === 'succeeded') return s.green(status);
  if (status === 'failed' || status === 'dead') return s.red(status);
  return s.yellow(status);
}

function cells(ctx: Context, r: DeliveryRow, s: Style, tty: boolean): string[] {
  const e = escapeControl;
  return [
    e(tty ? relativeTime(r.scheduled_at, ctx.now()) : (r.scheduled_at ?? '')),
    e(r.event_type),
    e(r.external_event_id),
    tty ? colourStatus(e(r.status), s) : r.status,
    String(r.attempt),
    r.response_status == null ? '-' : String(r.response_status),
    e(r.error_message ?? ''),
  ];
}

/**
 * The columns, with widths that fit what they usually hold: rows printed later (--follow) are laid
 * out at the widths of the first print, so they line up with its header.
 */
export const DELIVERY_COLUMNS: Column[] = [
  { header: 'TIME', min: 'in 59 minutes'.length },
  { header: 'EVENT', min: Math.max(...EVENT_TYPES.map((t) => t.length)) },
  { header: 'EVENT ID', min: 30 },
  { header: 'STATUS', min: 'succeeded'.length },
  { header: 'ATTEMPT' },
  { header: 'RESPONSE' },
  { header: 'ERROR', free: true },
];
export const HEADERS = DELIVERY_COLUMNS.map((c) => c.header);

/** A terminal layout kept between prints. */
export interface DeliveryLayout {
  widths: number[];
  width: CellWidth;
}

/**
 * Rows for humans; `payload` rows carry their event data below (TTY) or in a last column (piped).
 * In a terminal, the first call lays the table out (header included) and returns the layout; pass
 * it back to print later rows under the same header.
 */
export async function printDeliveryRows(
  ctx: Context,
  rows: DeliveryRow[],
  previous?: DeliveryLayout,
): Promise<DeliveryLayout | undefined> {
  const tty = ctx.humanTTY;
  const s = style(ctx.colorStdout);
  if (!tty) {
    ctx.out(tsv(rows.map((r) => [...cells(ctx, r, s, false), ...(r.payload ? [JSON.stringify(r.payload)] : [])])));
    return undefined;
  }
  const all = rows.map((r) => cells(ctx, r, s, true));
  const width = previous?.width ?? (await terminalCellWidth());
  const widths = previous?.widths ?? layout(DELIVERY_COLUMNS, all, width, usableColumns(ctx.io.stdout.columns));
  if (!previous) ctx.out(`${headerRow(DELIVERY_COLUMNS, widths, width, s)}\n`);
  rows.forEach((r, i) => {
    ctx.out(`${row(all[i]!, DELIVERY_COLUMNS, widths, width)}\n`);
    // JSON.stringify escapes every control character: the payload is safe as it is.
    if (r.payload) ctx.out(`${s.dim(JSON.stringify(r.payload, null, 2).replace(/^/gm, '    '))}\n`);
  });
  return { widths, width };
}

/** A one-line account of a final (or current) delivery row. */
export function describeDelivery(r: DeliveryRow): string {
  const response = r.response_status == null ? '' : `, response ${r.response_status}`;
  const error = r.error_message ? `: ${r.error_message}` : '';
  // Attempt 0 of a pending delivery: the first attempt is under way (the endpoint has not answered yet).
  if (r.attempt === 0 && r.status === 'pending')
    return `pending: its first attempt has not ended${response}${escapeControl(error)}`;
  return `${escapeControl(r.status)} after ${r.attempt} attempt${r.attempt === 1 ? '' : 's'}${response}${escapeControl(error)}`;
}
