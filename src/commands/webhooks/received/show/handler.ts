// `anchor webhooks received show <id>`: one recorded request in full (--json: as shown()).
import type { Context } from '../../../../context.js';
import { NotFoundError, UsageError } from '../../../../errors.js';
import { findRecord } from '../../../../local/record.js';
import { escapeControl, style, truncate } from '../../../../ui/format.js';
import { handler } from '../../../handler.js';
import { corruptionReporter, shown, type ShownRequest } from '../../shared/record-view.js';
import { receivedShowCommand } from './decl.js';

/** Indented lines, each escaped: a recorded body or answer is a stranger's text. */
const indented = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${escapeControl(l)}`)
    .join('\n');

function renderShown(r: ShownRequest, ctx: Context): void {
  const s = style(ctx.colorStdout);
  ctx.out(
    `${s.bold(escapeControl(r.id))}  ${escapeControl(r.received_at)}  ${escapeControl(r.method)} ${escapeControl(r.path)}\n`,
  );
  ctx.out(
    `Verdict: ${r.verdict === 'ok' ? s.green('ok') : s.red('refused')}, answered ${r.status || 'pending'}${r.event_type ? `; ${escapeControl(r.event_type)} ${escapeControl(r.event_id ?? '')}` : ''}${r.backfilled ? ' (backfilled)' : ''}\n`,
  );
  if (r.reason) ctx.out(`Why: ${escapeControl(r.reason)}\n`);
  if (r.diagnosis) ctx.out(`Likely cause: ${escapeControl(r.diagnosis)}\n`);
  if (r.checks.length) {
    ctx.out('\nChecks:\n');
    for (const c of r.checks) ctx.out(`  ${c.ok ? s.green('✓') : s.red('✗')} ${c.name}  ${escapeControl(c.detail)}\n`);
  }
  ctx.out('\nHeaders:\n');
  for (const [k, v] of Object.entries(r.headers))
    ctx.out(`  ${k}: ${escapeControl(Array.isArray(v) ? v.join(', ') : v)}\n`);
  ctx.out('\nBody:\n');
  if ('body' in r) {
    let pretty = r.body;
    try {
      pretty = JSON.stringify(JSON.parse(r.body), null, 2);
    } catch {
      // Not JSON: as received.
    }
    ctx.out(`${indented(pretty)}\n`);
  } else ctx.out(`  (${Buffer.from(r.body_base64, 'base64').length} bytes, not UTF-8; --json gives them in base64)\n`);
  if (r.body_truncated)
    ctx.out('  (cut: the request was refused before its body was read; the first 64 KiB are kept)\n');
  if (r.forward) {
    ctx.out(`\nForwarded to ${escapeControl(r.forward.url)}: `);
    if (r.forward.error) ctx.out(`${s.red('failed')}: ${escapeControl(r.forward.error)}\n`);
    else
      ctx.out(
        `${r.forward.status} in ${r.forward.latency_ms} ms\n${
          r.forward.response_body ? `${indented(truncate(r.forward.response_body, 2000))}\n` : ''
        }`,
      );
  }
}

export default handler(
  receivedShowCommand,
  async (_flags, [id], ctx): Promise<ShownRequest> => {
    if (!id)
      throw new UsageError('missing the record id', {
        hint: 'Usage: anchor webhooks received show <record-id>; list them with `anchor webhooks received`.',
      });
    const r = findRecord(ctx.env, id, { nowMs: ctx.now().getTime(), onCorrupt: corruptionReporter(ctx) });
    if (!r)
      throw new NotFoundError(`no recorded request ${id}`, {
        hint: 'List the recorded requests with `anchor webhooks received`.',
      });
    return shown(r);
  },
  renderShown,
);
