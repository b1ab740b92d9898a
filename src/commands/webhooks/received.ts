// `anchor webhooks received` and `received show <id>`: the delivery record, listed and shown.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { NotFoundError, UsageError } from '../../errors.js';
import {
  findRecord,
  readRecords,
  recordDir,
  REFUSED_BURST,
  REFUSED_PER_SECOND,
  type RecordedRequest,
} from '../../local/record.js';
import { escapeControl, relativeTime, style, truncate } from '../../ui/format.js';
import { checkEventsFlag } from '../flags.js';
import type { receivedListCommand, receivedShowCommand } from './received.decl.js';

/** Skipped lines of a damaged record, said once each with their place. */
export function corruptionReporter(ctx: Context): (where: string) => void {
  let said = 0;
  return (where) => {
    if (said++ < 5)
      ctx.err(`Warning: skipped an unreadable record line at ${where} (a torn write, or a damaged file).\n`);
  };
}

/** A record as `received --json` lists it. */
export function listed(r: RecordedRequest) {
  return {
    id: r.id,
    received_at: r.received_at,
    event_type: r.event_type ?? null,
    event_id: r.event_id ?? null,
    delivery_id: r.delivery_id ?? null,
    verdict: r.verdict,
    status: r.status,
    ...(r.backfilled ? { backfilled: true } : {}),
    ...(r.forward
      ? { forward: { url: r.forward.url, status: r.forward.status, latency_ms: r.forward.latency_ms } }
      : {}),
  };
}

/** The body as text when it is UTF-8, else base64. */
export function bodyOf(r: RecordedRequest): { body: string } | { body_base64: string } {
  const bytes = Buffer.from(r.body_b64, 'base64');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? { body: text } : { body_base64: r.body_b64 };
}

/** A record as `received show --json` shows it. */
export function shown(r: RecordedRequest) {
  return {
    ...listed(r),
    method: r.method,
    path: r.path,
    headers: r.headers,
    ...bodyOf(r),
    ...(r.body_truncated ? { body_truncated: true } : {}),
    checks: r.checks ?? [],
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.diagnosis ? { diagnosis: r.diagnosis } : {}),
    ...(r.forward ? { forward: r.forward } : {}),
  };
}

export async function runList(input: RawInput, ctx: Context): Promise<void> {
  const o = input.flags<typeof receivedListCommand>();
  if (o.type !== undefined) checkEventsFlag([o.type], '--type');
  const records = readRecords(ctx.env, {
    nowMs: ctx.now().getTime(),
    since: o.since?.at(ctx.now()).getTime(),
    ...(o.type ? { type: o.type } : {}),
    refused: o.refused,
    limit: o.limit ?? 50,
    onCorrupt: corruptionReporter(ctx),
    // On stderr, so that --json stays the array it always was.
    onSkipped: (count, since) =>
      ctx.err(
        `Note: ${count} refused request${count === 1 ? ' was' : 's were'} not recorded since ${since} (rate limit: ${REFUSED_BURST} at once, then ${REFUSED_PER_SECOND} a second).\n`,
      ),
  });
  if (ctx.globals.json) {
    ctx.outJson(records.map(listed));
    return;
  }
  if (records.length === 0) {
    ctx.err(
      `Nothing recorded${o.since || o.type || o.refused ? ' that matches' : ''} (the record is ${recordDir(ctx.env)}). \`anchor webhooks listen\` records every request it receives.\n`,
    );
    return;
  }
  const s = style(ctx.colorStdout);
  const rows = records.map((r) => [
    escapeControl(r.id),
    ctx.humanTTY ? relativeTime(r.received_at, ctx.now()) : escapeControl(r.received_at),
    escapeControl(r.event_type ?? '-'),
    escapeControl(r.event_id ?? '-'),
    r.verdict === 'ok' ? 'ok' : 'refused',
    String(r.status || 'pending'),
    r.forward ? (r.forward.error ? 'failed' : String(r.forward.status)) : '-',
  ]);
  if (!ctx.humanTTY) {
    for (const row of rows) ctx.out(`${row.join('\t')}\n`);
    return;
  }
  const head = ['ID', 'RECEIVED', 'EVENT', 'EVENT ID', 'VERDICT', 'ANSWER', 'APP'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  ctx.out(`${s.bold(head.map((h, i) => h.padEnd(widths[i]!)).join('  '))}\n`);
  for (const row of rows)
    ctx.out(
      `${row
        .map((c, i) => {
          const cell = c.padEnd(widths[i]!);
          return i === 4 ? (c === 'ok' ? s.green(cell) : s.red(cell)) : cell;
        })
        .join('  ')}\n`,
    );
}

export async function runShow(input: RawInput, ctx: Context): Promise<void> {
  input.flags<typeof receivedShowCommand>();
  const id = input.args[0];
  if (!id)
    throw new UsageError('missing the record id', {
      hint: 'Usage: anchor webhooks received show <record-id>; list them with `anchor webhooks received`.',
    });
  const r = findRecord(ctx.env, id, { nowMs: ctx.now().getTime(), onCorrupt: corruptionReporter(ctx) });
  if (!r)
    throw new NotFoundError(`no recorded request ${id}`, {
      hint: 'List the recorded requests with `anchor webhooks received`.',
    });
  const view = shown(r);
  if (ctx.globals.json) {
    ctx.outJson(view);
    return;
  }
  const s = style(ctx.colorStdout);
  ctx.out(
    `${s.bold(escapeControl(r.id))}  ${escapeControl(r.received_at)}  ${escapeControl(r.method)} ${escapeControl(r.path)}\n`,
  );
  ctx.out(
    `Verdict: ${r.verdict === 'ok' ? s.green('ok') : s.red('refused')}, answered ${r.status || 'pending'}${r.event_type ? `; ${escapeControl(r.event_type)} ${escapeControl(r.event_id ?? '')}` : ''}${r.backfilled ? ' (backfilled)' : ''}\n`,
  );
  if (r.reason) ctx.out(`Why: ${escapeControl(r.reason)}\n`);
  if (r.diagnosis) ctx.out(`Likely cause: ${escapeControl(r.diagnosis)}\n`);
  if (r.checks?.length) {
    ctx.out('\nChecks:\n');
    for (const c of r.checks) ctx.out(`  ${c.ok ? s.green('✓') : s.red('✗')} ${c.name}  ${escapeControl(c.detail)}\n`);
  }
  ctx.out('\nHeaders:\n');
  for (const [k, v] of Object.entries(r.headers))
    ctx.out(`  ${k}: ${escapeControl(Array.isArray(v) ? v.join(', ') : v)}\n`);
  ctx.out('\nBody:\n');
  if ('body' in view) {
    let pretty = view.body;
    try {
      pretty = JSON.stringify(JSON.parse(view.body), null, 2);
    } catch {
      // Not JSON: as received.
    }
    ctx.out(
      `${pretty
        .split('\n')
        .map((l) => `  ${escapeControl(l)}`)
        .join('\n')}\n`,
    );
  } else ctx.out(`  (${Buffer.from(r.body_b64, 'base64').length} bytes, not UTF-8; --json gives them in base64)\n`);
  if (r.body_truncated)
    ctx.out('  (cut: the request was refused before its body was read; the first 64 KiB are kept)\n');
  if (r.forward) {
    ctx.out(`\nForwarded to ${escapeControl(r.forward.url)}: `);
    if (r.forward.error) ctx.out(`${s.red('failed')}: ${escapeControl(r.forward.error)}\n`);
    else
      ctx.out(
        `${r.forward.status} in ${r.forward.latency_ms} ms\n${
          r.forward.response_body
            ? `${truncate(r.forward.response_body, 2000)
                .split('\n')
                .map((l) => `  ${escapeControl(l)}`)
                .join('\n')}\n`
            : ''
        }`,
      );
  }
}
