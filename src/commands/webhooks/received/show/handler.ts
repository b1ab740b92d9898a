// `anchor webhooks received show <id>`: one recorded request in full (--json: as shown()).
import type { Context } from '../../../../context.js';
import { UsageError } from '../../../../errors.js';
import { replaysOf } from '../../../../local/record-select.js';
import { escapeControl, style, truncate } from '../../../../ui/format.js';
import { handler } from '../../../handler.js';
import { recordsNamed } from '../../shared/record-ids.js';
import { CLAIMED, shown, type ShownRequest } from '../../shared/record-view.js';
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
  const refused = r.verdict === 'refused';
  const ids = [r.event_type, r.event_id, r.delivery_id && `delivery ${r.delivery_id}`].filter(Boolean) as string[];
  ctx.out(
    `Verdict: ${refused ? s.red('refused') : s.green('ok')}, answered ${r.status || 'pending'}${!refused && ids.length ? `; ${ids.map(escapeControl).join(' ')}` : ''}${r.backfilled ? ' (backfilled)' : ''}\n`,
  );
  // A stranger's words: shown apart, marked, and escaped.
  if (refused && ids.length)
    ctx.out(`Claimed (unverified): ${ids.map((x) => `${escapeControl(x)}${CLAIMED}`).join(' ')}\n`);
  if (r.replay_of) ctx.out(`Replay of ${escapeControl(r.replay_of)} (what this replay sent, and the app's answer)\n`);
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
    const route = r.forward.route !== undefined ? ` (route ${escapeControl(r.forward.route)})` : '';
    ctx.out(`\nForwarded to ${escapeControl(r.forward.url)}${route}: `);
    if (r.forward.error) ctx.out(`${s.red('failed')}: ${escapeControl(r.forward.error)}\n`);
    else
      ctx.out(
        `${r.forward.status} in ${r.forward.latency_ms} ms\n${
          r.forward.response_body ? `${indented(truncate(r.forward.response_body, 2000))}\n` : ''
        }`,
      );
  }
  if (r.replays?.length) {
    ctx.out('\nReplays:\n');
    for (const x of r.replays) ctx.out(`  ${x.id}  ${x.received_at}  ${x.status}\n`);
  }
}

export default handler(
  receivedShowCommand,
  async (_flags, [id], ctx): Promise<ShownRequest> => {
    if (!id)
      throw new UsageError('missing the record id', {
        hint: 'Usage: anchor webhooks received show <id> (a record, event or delivery id); list them with `anchor webhooks received`.',
      });
    const {
      named: [r],
      all,
    } = recordsNamed(ctx, [id]);
    return shown(r!, replaysOf(all, r!.id));
  },
  renderShown,
);
