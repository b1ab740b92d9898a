// `anchor webhooks received`: the requests `listen` recorded, newest first (--json: the array;
// else a table on a terminal, TSV when piped).
import type { Context } from '../../../../context.js';
import {
  readRecords,
  recordDir,
  REFUSED_BURST,
  REFUSED_PER_SECOND,
  type RecordedRequest,
} from '../../../../local/record.js';
import { escapeControl, relativeTime, style } from '../../../../ui/format.js';
import { checkEventsFlag } from '../../../flags.js';
import { handler } from '../../../handler.js';
import { viewOf, withView, type WithView } from '../../../result-view.js';
import { is2xx } from '../../../../local/deliver.js';
import { CLAIMED, listed, readerNotices, type ListedRequest } from '../../shared/record-view.js';
import { receivedListCommand } from './decl.js';

/**
 * The rows `--json` prints; and, for people (the view), the records they came from (a failed
 * forward shows as such) and whether a filter was given.
 */
export type ReceivedRows = WithView<ListedRequest[], { records: readonly RecordedRequest[]; filtered: boolean }>;

function renderReceived(rows: ReceivedRows, ctx: Context): void {
  const { records, filtered } = viewOf(rows);
  if (records.length === 0) {
    ctx.err(
      `Nothing recorded${filtered ? ' that matches' : ''} (the record is ${recordDir(ctx.env)}). \`anchor webhooks listen\` records every request it receives.\n`,
    );
    return;
  }
  const s = style(ctx.colorStdout);
  // A refused request's event fields are what it claimed: marked, never shown as fact.
  const said = (r: RecordedRequest, v: string | undefined) =>
    v === undefined ? '-' : `${escapeControl(v)}${r.verdict === 'refused' ? CLAIMED : ''}`;
  const cells = records.map((r) => [
    escapeControl(r.id),
    ctx.humanTTY ? relativeTime(r.received_at, ctx.now()) : escapeControl(r.received_at),
    said(r, r.event_type),
    said(r, r.event_id),
    `${r.verdict === 'ok' ? 'ok' : 'refused'}${r.replay_of ? ` (replay of ${escapeControl(r.replay_of)})` : ''}`,
    String(r.status || 'pending'),
    r.forward ? (r.forward.error ? 'failed' : String(r.forward.status)) : '-',
  ]);
  if (!ctx.humanTTY) {
    for (const row of cells) ctx.out(`${row.join('\t')}\n`);
    return;
  }
  const head = ['ID', 'RECEIVED', 'EVENT', 'EVENT ID', 'VERDICT', 'ANSWER', 'APP'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  ctx.out(`${s.bold(head.map((h, i) => h.padEnd(widths[i]!)).join('  '))}\n`);
  for (const row of cells)
    ctx.out(
      `${row
        .map((c, i) => {
          const cell = c.padEnd(widths[i]!);
          return i === 4 ? (c.startsWith('ok') ? s.green(cell) : s.red(cell)) : cell;
        })
        .join('  ')}\n`,
    );
}

/** What --failed finds: forwarded, and the app answered other than 2xx or was not reached. */
const appFailed = (r: RecordedRequest): boolean =>
  r.forward !== undefined && (r.forward.error !== undefined || !is2xx(r.forward.status));

export default handler(
  receivedListCommand,
  async (o, _args, ctx): Promise<ReceivedRows> => {
    if (o.type !== undefined) checkEventsFlag([o.type], '--type');
    const records = readRecords(ctx.env, {
      nowMs: ctx.now().getTime(),
      since: o.since?.at(ctx.now()).getTime(),
      ...(o.type ? { type: o.type } : {}),
      refused: o.refused,
      ...(o.failed ? { where: appFailed } : {}),
      limit: o.limit ?? 50,
      ...readerNotices(ctx),
      // On stderr, so that --json stays the array it always was.
      onSkipped: (count, since) =>
        ctx.err(
          `Note: ${count} refused request${count === 1 ? ' was' : 's were'} not recorded since ${since} (rate limit: ${REFUSED_BURST} at once, then ${REFUSED_PER_SECOND} a second).\n`,
        ),
    });
    return withView(records.map(listed), {
      records,
      filtered: Boolean(o.since || o.type || o.refused || o.failed),
    });
  },
  renderReceived,
);
