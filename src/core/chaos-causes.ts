// The wrong answers of a scenario or chaos run read together, likeliest cause first, and the chaos
// a run could not apply. A receiver that refuses every correctly signed delivery has one cause
// (its secret, or a signature checked over re-serialised JSON), and the reordered deliveries,
// refused like the rest, say nothing about ordering. Shared by `events trigger` and the MCP tool.
import type { ChaosKind } from './scenarios.js';

/** What the causes need of a graded delivery. */
export interface GradedDelivery {
  injected?: ChaosKind;
  expected: '2xx' | 'not 2xx';
  ok: boolean;
  /** 0 when there was no answer. */
  status: number;
}

/** Why answers were wrong: a chaos kind, `plain` (a correct delivery refused), or one of these. */
export type WrongAnswerCause = ChaosKind | 'plain' | 'every-signed-refused' | 'crash';

const isRefusal = (status: number) => status >= 400 && status < 500;

/** Every delivery that had to be accepted (each correctly signed) got a 4xx. */
export function everySignedRefused(rows: readonly GradedDelivery[]): boolean {
  const signed = rows.filter((r) => r.expected === '2xx');
  return signed.length > 0 && signed.every((r) => isRefusal(r.status));
}

/** The causes of the wrong answers, likeliest first, each once. */
export function wrongAnswerCauses(rows: readonly GradedDelivery[]): WrongAnswerCause[] {
  const wrong = rows.filter((r) => !r.ok);
  const causes: WrongAnswerCause[] = [];
  // Refused whatever it was (in order, out of order): the refusals of correct deliveries are one cause.
  const allRefused = everySignedRefused(rows);
  if (allRefused) causes.push('every-signed-refused');
  // Reversed, the middle event keeps its place yet comes before its cause: when others were
  // accepted, ordering is the likeliest reason it was refused.
  const reordered = rows.some((r) => r.injected === 'reorder');
  for (const r of wrong) {
    if (r.expected === '2xx' && allRefused) continue;
    if (r.expected === '2xx' && !r.injected && reordered) causes.push('reorder');
    causes.push(r.injected ?? 'plain');
    if (r.expected === 'not 2xx' && r.status >= 500) causes.push('crash');
  }
  return [...new Set(causes)];
}

/** The chaos asked for that this run did not send, each with why ("duplicate: not sent because …"). */
export function chaosNotApplied(
  chaos: readonly ChaosKind[],
  rows: readonly GradedDelivery[],
  eventCount: number,
): string[] {
  const notes: string[] = [];
  if (chaos.includes('duplicate') && !rows.some((r) => r.injected === 'duplicate'))
    notes.push(
      'duplicate: not sent, because your endpoint acknowledged none of the events with a 2xx (as Anchor does, a duplicate follows an acknowledged delivery); fix the refusals, then run it again',
    );
  if (chaos.includes('reorder') && eventCount < 2)
    notes.push('reorder: not applied, because there is only one event to send');
  return notes;
}
