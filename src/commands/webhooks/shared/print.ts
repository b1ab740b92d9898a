// Printing webhooks and requests for people (`--json` prints what the command returned): one
// webhook, a change made to one, the list (a table that fits the terminal, or TSV), and what
// --dry-run would send.
import type { Context } from '../../../context.js';
import {
  escapeControl,
  relativeTime,
  style,
  table,
  terminalCellWidth,
  tsv,
  usableColumns,
  type Column,
} from '../../../ui/format.js';
import type { WebhookPublic } from '../../../api/schemas.js';
import type { DescribedRequest } from '../../../api/client.js';
import { isDryRun, outcomeOf } from './outcome.js';

/** --dry-run, for people: the request as it would be sent, key redacted; nothing is sent. */
export function renderDryRun(req: DescribedRequest, ctx: Context): void {
  const s = style(ctx.colorStdout);
  ctx.out(`${s.bold(`${req.method} ${req.url}`)}\n`);
  for (const [k, v] of Object.entries(req.headers)) ctx.out(`${k}: ${v}\n`);
  if (req.body !== null) ctx.out(`\n${JSON.stringify(req.body, null, 2)}\n`);
  ctx.err(`${s.dim('Dry run: nothing was sent.')}\n`);
}

/**
 * What update, enable and disable return, for people: the request of a --dry-run, nothing for a
 * dry run with nothing to send, or the webhook, after the line of what was done (on stderr).
 */
export function renderWebhookChange(result: WebhookPublic | DescribedRequest, ctx: Context): void {
  if (isDryRun(result)) return renderDryRun(result, ctx);
  const outcome = outcomeOf(result);
  if (outcome?.kind === 'unsent') return;
  if (outcome?.kind === 'done') ctx.err(`${style(ctx.colorStderr).green('✓')} ${outcome.what}\n`);
  renderWebhook(result, ctx);
}

/** One webhook, for people. */
export function renderWebhook(w: WebhookPublic, ctx: Context): void {
  const s = style(ctx.colorStdout);
  const when = (iso: string | null) =>
    iso ? escapeControl(ctx.humanTTY ? `${iso} (${relativeTime(iso, ctx.now())})` : iso) : '-';
  const state = w.enabled ? s.green('enabled') : s.yellow('disabled');
  // Everything here came from the API: someone else's text, escaped before it reaches a terminal.
  const e = escapeControl;
  ctx.out(
    [
      `${s.bold(e(w.id))}  ${state}`,
      `URL:          ${e(w.url)}`,
      `Events:       ${e(w.subscribed_events.join(', '))}`,
      `Description:  ${e(w.description ?? '-')}`,
      `Project:      ${e(w.project_id)}`,
      `Created:      ${when(w.created_at)}`,
      `Updated:      ${when(w.updated_at)}`,
    ].join('\n') + '\n',
  );
}

export const WEBHOOK_COLUMNS: Column[] = [
  { header: 'ID' },
  { header: 'URL', free: true },
  { header: 'EVENTS', free: true },
  { header: 'STATE' },
  { header: 'DESCRIPTION', free: true },
  { header: 'CREATED' },
];

/** The list, for people: a table that fits the terminal, or TSV when piped. */
export async function renderWebhookList(webhooks: WebhookPublic[], ctx: Context): Promise<void> {
  if (webhooks.length === 0) {
    ctx.err('No webhooks yet. Create one with `anchor webhooks create --url https://… --event task.completed`.\n');
    return;
  }
  if (!ctx.humanTTY) {
    ctx.out(
      tsv(
        webhooks.map((w) => [
          w.id,
          w.url,
          w.subscribed_events.join(','),
          w.enabled ? 'enabled' : 'disabled',
          w.description ?? '',
          w.created_at ?? '',
        ]),
      ),
    );
    return;
  }
  const s = style(ctx.colorStdout);
  const e = escapeControl;
  const rows = webhooks.map((w) => [
    e(w.id),
    e(w.url),
    e(w.subscribed_events.join(', ')),
    w.enabled ? s.green('enabled') : s.yellow('disabled'),
    e(w.description ?? ''),
    e(relativeTime(w.created_at, ctx.now())),
  ]);
  ctx.out(
    table(WEBHOOK_COLUMNS, rows, s, {
      width: await terminalCellWidth(),
      maxWidth: usableColumns(ctx.io.stdout.columns),
    }),
  );
}
