// Printing delivery-log rows: a table in a terminal, tab-separated when piped, NDJSON for --follow.
import type { Context } from '../../context.js';
import type { DeliveryRow } from '../../api/schemas.js';
import { relativeTime, style, table, truncate, tsv, type Style } from '../../ui/format.js';

export const FINAL_STATUSES = new Set(['succeeded', 'failed', 'dead']);

function colourStatus(status: string, s: Style): string {
  if (status === 'succeeded') return s.green(status);
  if (status === 'failed' || status === 'dead') return s.red(status);
  return s.yellow(status);
}

function cells(ctx: Context, r: DeliveryRow, s: Style, tty: boolean): string[] {
  return [
    tty ? relativeTime(r.scheduled_at, ctx.now()) : (r.scheduled_at ?? ''),
    r.event_type,
    r.external_event_id,
    tty ? colourStatus(r.status, s) : r.status,
    String(r.attempt),
    r.response_status == null ? '-' : String(r.response_status),
    tty ? truncate(r.error_message ?? '', 48) : (r.error_message ?? ''),
  ];
}

export const HEADERS = ['TIME', 'EVENT', 'EVENT ID', 'STATUS', 'ATTEMPT', 'RESPONSE', 'ERROR'];

/** Rows for humans; `payload` rows carry their event data below (TTY) or in a last column (piped). */
export function printDeliveryRows(ctx: Context, rows: DeliveryRow[], withHeader = true): void {
  const tty = ctx.humanTTY;
  const s = style(ctx.colorStdout);
  if (!tty) {
    ctx.out(tsv(rows.map((r) => [...cells(ctx, r, s, false), ...(r.payload ? [JSON.stringify(r.payload)] : [])])));
    return;
  }
  if (rows.some((r) => r.payload)) {
    for (const r of rows) {
      ctx.out(table(HEADERS, [cells(ctx, r, s, true)], s).split('\n').slice(withHeader ? 0 : 1).join('\n'));
      if (r.payload) ctx.out(`${s.dim(JSON.stringify(r.payload, null, 2).replace(/^/gm, '    '))}\n`);
    }
    return;
  }
  const text = table(HEADERS, rows.map((r) => cells(ctx, r, s, true)), s);
  ctx.out(withHeader ? text : text.split('\n').slice(1).join('\n'));
}

/** A one-line account of a final (or current) delivery row. */
export function describeDelivery(r: DeliveryRow): string {
  const response = r.response_status == null ? '' : `, response ${r.response_status}`;
  const error = r.error_message ? `: ${r.error_message}` : '';
  return `${r.status} after ${r.attempt} attempt${r.attempt === 1 ? '' : 's'}${response}${error}`;
}
