// `listen --until`: waits for the first verified event of a type whose fields match, counts what
// else came, and says how the wait ended (matched: its envelope is the --json result).
import type { Context } from '../../../context.js';
import { CancelledError, TimeoutError } from '../../../errors.js';
import type { ReceivedEvent } from '../../../local/receiver-types.js';
import { hasValue } from '../../../local/set-path.js';
import { escapeControl, style } from '../../../ui/format.js';
import { formatMs, type Until } from './options.js';

export type Outcome = 'stopped' | 'matched' | 'timeout';

/** `--until` as the ready line and the outcome say it: the type, and the fields it must have. */
export function describeUntil(until: Until): string {
  return `${until.type}${until.match.length ? ` with ${until.match.map((m) => `${m.path.join('.')}=${m.text}`).join(', ')}` : ''}`;
}

export class UntilWatch {
  /** Verified events seen, by type, for the message when the wait ends without a match. */
  private readonly seen = new Map<string, number>();
  private match: { envelope: unknown; event: ReceivedEvent } | undefined;
  private onMatch: () => void = () => {};
  private timer: NodeJS.Timeout | undefined;
  /** Resolves when the awaited event has come. */
  readonly matched = new Promise<void>((resolve) => (this.onMatch = resolve));

  constructor(readonly until: Until) {}

  /** Counts a verified event, and ends the wait when it is the one. */
  observe(ev: ReceivedEvent, body: Buffer): void {
    this.seen.set(ev.type, (this.seen.get(ev.type) ?? 0) + 1);
    if (this.match || ev.type !== this.until.type) return;
    const envelope: unknown = JSON.parse(body.toString('utf8'));
    if (this.until.match.every((m) => hasValue(envelope, m))) {
      this.match = { envelope, event: ev };
      this.onMatch();
    }
  }

  /** Resolves when the wait has run out (from when this is called). */
  deadline(): Promise<'timeout'> {
    return new Promise((resolve) => (this.timer = setTimeout(() => resolve('timeout'), this.until.timeoutMs)));
  }

  cancelDeadline(): void {
    clearTimeout(this.timer);
  }

  /**
   * Says how the wait ended, once everything is closed: the matching envelope on stdout with --json
   * and a line on stderr; a wait stopped or run out is thrown, with what did come.
   */
  finish(outcome: Outcome, ctx: Context): void {
    const e = style(ctx.colorStderr);
    if (outcome === 'matched') {
      if (ctx.globals.json) ctx.outJson(this.match!.envelope);
      ctx.err(
        `${e.green('✓')} Got ${escapeControl(this.match!.event.type)} ${escapeControl(this.match!.event.id)}; stopped.\n`,
      );
      return;
    }
    const saw = [...this.seen].map(([type, n]) => `${n} ${type}`).join(', ');
    const what = describeUntil(this.until);
    if (outcome === 'stopped') throw new CancelledError(`Stopped before ${what} arrived${saw ? ` (saw ${saw})` : ''}.`);
    throw new TimeoutError(
      `waited ${formatMs(this.until.timeoutMs)} for ${what}; it did not arrive${saw ? ` (saw ${escapeControl(saw)})` : ' (no verified event at all)'}`,
      {
        hint: saw
          ? 'Events of other types or with other fields do not count; check --until and --match.'
          : 'Nothing verified arrived: check that the webhook points at this listener and subscribes to the type.',
      },
    );
  }
}
