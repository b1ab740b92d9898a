// What `listen` prints as it serves: a line per event on stdout (or its JSON), and on stderr a
// line per refusal, duplicate or previous-secret delivery; refusals are a stranger's to trigger,
// so their lines are escaped, cut, and at most a few a second.
import type { Context } from '../../../context.js';
import type { ReceivedEvent, Rejection } from '../../../local/receiver-types.js';
import type { Backfilled } from '../../../local/backfill.js';
import { tokenBucket } from '../../../lib/token-bucket.js';
import { escapeControl, style, truncate } from '../../../ui/format.js';
import { slowAppWarning } from '../../../local/app-wait.js';

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

/** How events are shown: the route each took (when routes by type are used), the app's answer. */
export interface EventLineOptions {
  /** Name the route in each line: its pattern, or the default's URL. */
  showRoute: boolean;
  /** --print-response: the app's status, latency and the start of its answer, after the line. */
  printResponse: boolean;
}

/** An event as it arrived (and what the app answered): JSON with --json, else one line. */
export function printEvent(ctx: Context, ev: ReceivedEvent, o: EventLineOptions): void {
  if (ctx.globals.json) {
    // The start of the app's answer is in the JSON only when asked for, as on the terminal.
    if (ev.forward && !o.printResponse) {
      const { response_body: _start, ...forward } = ev.forward;
      ctx.out(`${JSON.stringify({ ...ev, forward })}\n`);
    } else ctx.out(`${JSON.stringify(ev)}\n`);
    return;
  }
  const s = style(ctx.colorStdout);
  const time = ev.received_at.slice(11, 19);
  const f = ev.forward;
  const route = f && o.showRoute ? `${s.cyan(escapeControl(f.route ?? f.url))} ` : '';
  let forward = '';
  if (f && 'status' in f) {
    const ok = f.status >= 200 && f.status < 300;
    forward = `  → ${route}${ok ? s.green(String(f.status)) : s.red(String(f.status))} in ${f.latency_ms} ms${f.truncated ? ' (its answer was over 1 MiB: cut)' : ''}`;
  } else if (f?.timed_out)
    forward = `  → ${route}${s.red(`timed out: ${escapeControl(f.error)}; Anchor was answered 504`)}`;
  else if (f) forward = `  → ${route}${s.red(`failed: ${escapeControl(f.error)}`)}`;
  else if (ev.not_forwarded) forward = `  → ${s.dim(`not forwarded: ${escapeControl(ev.not_forwarded)}`)}`;
  const duplicate = ev.duplicate ? `${s.yellow('↺ duplicate')}  ` : '';
  // The record id is what `received show` and `replay` take.
  const record = ev.record_id ? `  ${s.dim(ev.record_id)}` : '';
  ctx.out(
    `${s.dim(time)}  ${duplicate}${s.cyan(escapeControl(ev.type))}  ${escapeControl(ev.id)}  ${escapeControl(ev.text)}${forward}${record}\n`,
  );
  if (o.printResponse && f && 'status' in f)
    ctx.out(
      `    ${s.dim('←')} ${f.status} in ${f.latency_ms} ms: ${escapeControl(f.response_body ?? '') || s.dim('(empty)')}\n`,
    );
}

/** On stderr: an app slower than Anchor waits (or out of --forward-timeout) gets the delivery again. */
export function warnIfSlow(ctx: Context, ev: ReceivedEvent, forwardTimeoutMs: number): void {
  const f = ev.forward;
  if (!f?.slow) return;
  const e = style(ctx.colorStderr);
  const said =
    'status' in f ? slowAppWarning({ latencyMs: f.latency_ms }) : slowAppWarning({ timedOutAfterMs: forwardTimeoutMs });
  ctx.err(`${e.yellow('!')} ${escapeControl(ev.id)}: ${said}\n`);
}

/** A re-delivery of --backfill: JSON with --json (unless --until keeps stdout), else one line. */
export function printBackfilled(ctx: Context, d: Backfilled, until: boolean): void {
  const where = d.url !== undefined ? { url: d.url, ...(d.route !== undefined ? { route: d.route } : {}) } : undefined;
  if (ctx.globals.json) {
    if (!until)
      ctx.out(
        `${JSON.stringify({ received_at: ctx.now().toISOString(), id: d.envelope.id, type: d.envelope.type, text: d.envelope.text, delivery_id: null, backfilled: true, ...(d.not_forwarded ? { not_forwarded: d.not_forwarded } : { forward: d.error ? { ...where, error: d.error } : { ...where, status: d.status, latency_ms: d.latency_ms } }) })}\n`,
      );
    return;
  }
  const s = style(ctx.colorStdout);
  const ok = d.status >= 200 && d.status < 300;
  const route = d.route !== undefined ? `${s.cyan(escapeControl(d.route))} ` : '';
  const outcome = d.not_forwarded
    ? s.dim(`not forwarded: ${escapeControl(d.not_forwarded)}`)
    : `${route}${d.error ? s.red(`failed: ${escapeControl(d.error)}`) : ok ? s.green(String(d.status)) : s.red(String(d.status))}${d.error ? '' : ` in ${d.latency_ms} ms`}`;
  ctx.out(
    `${s.yellow('↻ backfilled')}  ${s.cyan(escapeControl(d.envelope.type))}  ${escapeControl(d.envelope.id)}  → ${outcome}\n`,
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
