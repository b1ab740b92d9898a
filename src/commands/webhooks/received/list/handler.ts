// `anchor webhooks received`: the requests `listen` recorded, newest first (--json: the array;
// else a table on a terminal, TSV when piped). Rows are worded and coloured by outcome, and a
// failure that a later delivery of the same event (Anchor's retry, a backfill, a replay) got
// through says so.
import type { Context } from '../../../../context.js';
import {
  readRecords,
  recordDir,
  REFUSED_BURST,
  REFUSED_PER_SECOND,
  type RecordedRequest,
} from '../../../../local/record.js';
import { escapeControl, relativeTime, style, type Style } from '../../../../ui/format.js';
import { checkEventsFlag } from '../../../flags.js';
import { handler } from '../../../handler.js';
import { viewOf, withView, type WithView } from '../../../result-view.js';
import { CLAIMED, listed, readerNotices, type ListedRequest } from '../../shared/record-view.js';
import { appFailed, resolutionsOfListed, type Resolution } from '../../../../local/record-resolved.js';
import { OUTCOME_WORDS, outcomeOf, type OutcomeKind } from './outcome.js';
import { receivedListCommand } from './decl.js';

/** A listed row, and for a failure a later delivery got through, that delivery's record id. */
export type ReceivedRow = ListedRequest & { resolved_by?: string };

/**
 * The rows `--json` prints; and, for people (the view), the records they came from (a failed
 * forward shows as such), the resolutions, and whether a filter was given.
 */
export type ReceivedRows = WithView<
  ReceivedRow[],
  { records: readonly RecordedRequest[]; resolved: ReadonlyMap<string, Resolution>; filtered: boolean }
>;

const paint = (s: Style, kind: OutcomeKind): ((t: string) => string) =>
  kind === 'app-ok' ? s.green : kind === 'app-failed' ? s.red : kind === 'refused' ? s.yellow : (t) => t;

/** The outcome cell (the table's last column): its words coloured by outcome, a resolution in green. */
function outcomeCell(r: RecordedRequest, resolved: Resolution | undefined, s: Style): string {
  const kind = outcomeOf(r);
  // As the inspector's badge: an app that could not be reached did not answer at all.
  const said = kind === 'app-failed' && !r.forward?.status ? 'app unreachable' : OUTCOME_WORDS[kind];
  const words = `${said}${r.replay_of ? ` (replay of ${escapeControl(r.replay_of)})` : ''}`;
  const how = resolved?.by === 'replay' ? 'replayed' : 'retried';
  return `${paint(s, kind)(words)}${resolved ? s.green(` (${how} → ${resolved.status})`) : ''}`;
}

function renderReceived(rows: ReceivedRows, ctx: Context): void {
  const { records, resolved, filtered } = viewOf(rows);
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
  const app = (r: RecordedRequest) => (r.forward ? (r.forward.error ? 'failed' : String(r.forward.status)) : '-');
  const start = (r: RecordedRequest) => [
    escapeControl(r.id),
    ctx.humanTTY ? relativeTime(r.received_at, ctx.now()) : escapeControl(r.received_at),
    said(r, r.event_type),
    said(r, r.event_id),
  ];
  if (!ctx.humanTTY) {
    // Piped: the columns scripts already read, then the outcome and the record that resolved it.
    for (const r of records) {
      const verdict = `${r.verdict === 'ok' ? 'ok' : 'refused'}${r.replay_of ? ` (replay of ${escapeControl(r.replay_of)})` : ''}`;
      const row = [
        ...start(r),
        verdict,
        String(r.status || 'pending'),
        app(r),
        outcomeOf(r),
        resolved.get(r.id)?.id ?? '-',
      ];
      ctx.out(`${row.join('\t')}\n`);
    }
    return;
  }
  const lines = records.map((r) => [...start(r), String(r.status || 'pending'), app(r)]);
  const head = ['ID', 'RECEIVED', 'EVENT', 'EVENT ID', 'ANSWER', 'APP'];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((cells) => cells[i]!.length)));
  ctx.out(`${s.bold([...head.map((h, i) => h.padEnd(widths[i]!)), 'OUTCOME'].join('  '))}\n`);
  records.forEach((r, n) =>
    ctx.out(
      `${[...lines[n]!.map((c, i) => c.padEnd(widths[i]!)), outcomeCell(r, resolved.get(r.id), s)].join('  ')}\n`,
    ),
  );
}

export default handler(
  receivedListCommand,
  async (o, _args, ctx): Promise<ReceivedRows> => {
    if (o.type !== undefined) checkEventsFlag([o.type], '--type');
    const notices = readerNotices(ctx);
    const records = readRecords(ctx.env, {
      nowMs: ctx.now().getTime(),
      since: o.since?.at(ctx.now()).getTime(),
      ...(o.type ? { type: o.type } : {}),
      refused: o.refused,
      ...(o.failed ? { where: appFailed } : {}),
      limit: o.limit ?? 50,
      ...notices,
      // On stderr, so that --json stays the array it always was.
      onSkipped: (count, since) =>
        ctx.err(
          `Note: ${count} refused request${count === 1 ? ' was' : 's were'} not recorded since ${since} (rate limit: ${REFUSED_BURST} at once, then ${REFUSED_PER_SECOND} a second).\n`,
        ),
    });
    // The whole record is read again only when there is a failure a later delivery could have resolved.
    const resolved = resolutionsOfListed(records, () =>
      readRecords(ctx.env, { nowMs: ctx.now().getTime(), onCorrupt: () => {} }),
    );
    return withView(
      records.map((r): ReceivedRow => {
        const by = resolved.get(r.id);
        return by ? { ...listed(r), resolved_by: by.id } : listed(r);
      }),
      { records, resolved, filtered: Boolean(o.since || o.type || o.refused || o.failed) },
    );
  },
  renderReceived,
);
