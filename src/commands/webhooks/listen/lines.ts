// What `listen` prints as it serves: a line per event on stdout (or its JSON), and on stderr a
// line per refusal, duplicate or previous-secret delivery; refusals are a stranger's to trigger,
// so their lines are escaped, cut, and at most a few a second.
import type { Context } from '../../../context.js';
import type { ReceivedEvent, Rejection } from '../../../local/receiver-types.js';
import type { Backfilled } from '../../../local/backfill.js';
import { tokenBucket } from '../../../lib/token-bucket.js';
import { escapeControl, style, truncate } from '../../../ui/format.js';

export const REFUSAL_LINES_BURST = 20;
export const REFUSAL_LINES_PER_SECOND = 5;

/** Prints refusal lines up to a rate; the rest are counted and reported with the next line printed. */
export function refusalLog(
  write: (line: string) => void,
  now: () => number,
): { log: (line: string) => void; flush: () => void } {
  const mayPrint = tokenBucket({ burst: REFUSAL_LINES_BURST, perSecond: REFUSAL_LINES_PER_SECOND }, now);
  let suppressed = 0;
  const flush = () => {
    if (suppressed > 0) write(`  … and ${suppressed} more refused request${suppressed === 1 ? '' : 's'} not shown\n`);
    suppressed = 0;
  };
  return {
    log(line) {
      if (!mayPrint()) {
        suppressed++;
        return;
      }
      flush();
      write(line);
    },
    flush,
  };
}

/** An event as it arrived (and what the app answered): JSON with --json, else one line. */
export function printEvent(ctx: Context, ev: ReceivedEvent): void {
  if (ctx.globals.json) {
    ctx.out(`${JSON.stringify(ev)}\n`);
    return;
  }
  const s = style(ctx.colorStdout);
  const time = ev.received_at.slice(11, 19);
  let forward = '';
  if (ev.forward && 'status' in ev.forward) {
    const ok = ev.forward.status >= 200 && ev.forward.status < 300;
    forward = `  → ${ok ? s.green(String(ev.forward.status)) : s.red(String(ev.forward.status))} in ${ev.forward.latency_ms} ms${ev.forward.truncated ? ' (its answer was over 1 MiB: cut)' : ''}`;
  } else if (ev.forward) forward = `  → ${s.red(`failed: ${escapeControl(ev.forward.error)}`)}`;
  const duplicate = ev.duplicate ? `${s.yellow('↺ duplicate')}  ` : '';
  // The record id is what `received show` and `replay` take.
  const record = ev.record_id ? `  ${s.dim(ev.record_id)}` : '';
  ctx.out(
    `${s.dim(time)}  ${duplicate}${s.cyan(escapeControl(ev.type))}  ${escapeControl(ev.id)}  ${escapeControl(ev.text)}${forward}${record}\n`,
  );
}

/** A re-delivery of --backfill: JSON with --json (unless --until keeps stdout), else one line. */
export function printBackfilled(ctx: Context, d: Backfilled, until: boolean): void {
  if (ctx.globals.json) {
    if (!until)
      ctx.out(
        `${JSON.stringify({ received_at: ctx.now().toISOString(), id: d.envelope.id, type: d.envelope.type, text: d.envelope.text, delivery_id: null, backfilled: true, forward: d.error ? { error: d.error } : { status: d.status, latency_ms: d.latency_ms } })}\n`,
      );
    return;
  }
  const s = style(ctx.colorStdout);
  const ok = d.status >= 200 && d.status < 300;
  ctx.out(
    `${s.yellow('↻ backfilled')}  ${s.cyan(escapeControl(d.envelope.type))}  ${escapeControl(d.envelope.id)}  → ${d.error ? s.red(`failed: ${escapeControl(d.error)}`) : ok ? s.green(String(d.status)) : s.red(String(d.status))}${d.error ? '' : ` in ${d.latency_ms} ms`}\n`,
  );
}

/** The receiver's reports that go to stderr, as lines for people. */
export function stderrReports(ctx: Context) {
  const e = style(ctx.colorStderr);
  const refusals = refusalLog(
    (line) => ctx.err(line),
    () => ctx.now().getTime(),
  );
  let warnedPrevious = false;
  return {
    onReject: (r: Rejection) =>
      refusals.log(
        `${e.red('✗')} ${r.status} ${truncate(escapeControl(r.reason), 300)}${r.diagnosis ? `\n  likely cause: ${truncate(escapeControl(r.diagnosis), 600)}` : ''}\n`,
      ),
    onDuplicate: (id: string) =>
      ctx.err(
        `${e.dim(`↺ ${escapeControl(id)} again: already processed, acknowledged (200), not printed or forwarded again`)}\n`,
      ),
    onPreviousSecret: (id: string) => {
      if (warnedPrevious) return;
      warnedPrevious = true;
      ctx.err(
        `${e.yellow('!')} ${escapeControl(id)} verified only with the previous secret of a rotation (its second v1=): this secret stops signing 24 hours after the rotation. Switch to the new one.\n`,
      );
    },
    /** Says how many refusal lines were not shown, if any. */
    flush: refusals.flush,
  };
}
