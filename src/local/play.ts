// Plays events to the user's endpoint as Anchor would, with the chaos a robust receiver must
// survive (`events trigger --scenario … --chaos …`), and grades each answer.
import { randomBytes, randomUUID } from 'node:crypto';
import { newEventId, type Envelope } from '../core/event-examples.js';
import { deliveryHeaders } from '../core/signature.js';
import { sleep } from '../lib/time.js';
import { deliver, is2xx } from './deliver.js';

export { CHAOS_KINDS, type ChaosKind } from '../core/scenarios.js';
import type { ChaosKind } from '../core/scenarios.js';

/** How old the stale delivery is: well past any sane tolerance (Anchor's docs say 5 minutes). */
export const STALE_SECONDS = 600;

export type Expected = '2xx' | 'not 2xx';

export const DUPLICATE_CAVEAT =
  'a 2xx is right only if your app did not act on this event twice (anchor cannot see that): deduplicate on the envelope id';

export interface PlayRow {
  event_type: string;
  event_id: string;
  delivery_id: string;
  injected?: ChaosKind;
  status: number;
  expected: Expected;
  ok: boolean;
  /** On an acknowledged duplicate: a 2xx is right only if the app did not act twice, which anchor cannot see. */
  caveat?: string;
  latency_ms: number;
  response_body: string;
}

export interface PlayOptions {
  url: URL;
  secret: string;
  envelopes: readonly Envelope[];
  chaos: readonly ChaosKind[];
  delayMs: number;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** Each answer as it comes. */
  onRow?: (row: PlayRow) => void;
}

interface Planned {
  envelope: Envelope;
  injected?: ChaosKind;
  expected: Expected;
  ageSeconds?: number;
  badSignature?: boolean;
}

/** The deliveries of a play, before any is sent (duplicates are added as answers come in). */
export function planPlay(envelopes: readonly Envelope[], chaos: readonly ChaosKind[]): Planned[] {
  const reorder = chaos.includes('reorder') && envelopes.length > 1;
  const order = reorder ? [...envelopes].reverse() : [...envelopes];
  const planned: Planned[] = order.map((envelope, i) => ({
    envelope,
    expected: '2xx',
    ...(reorder && envelopes[i] !== envelope ? { injected: 'reorder' as const } : {}),
  }));
  // Fresh envelopes (new ids) for the ones a receiver must refuse, so that its duplicate check
  // cannot answer for its signature check.
  const fresh = (): Envelope => ({ ...structuredClone(envelopes[0]!), id: newEventId() });
  if (chaos.includes('stale'))
    planned.push({ envelope: fresh(), injected: 'stale', expected: 'not 2xx', ageSeconds: STALE_SECONDS });
  if (chaos.includes('bad-signature'))
    planned.push({ envelope: fresh(), injected: 'bad-signature', expected: 'not 2xx', badSignature: true });
  return planned;
}

/** A receiver's right answer to a delivery it must refuse: a 4xx (not a 2xx, and not a crash). */
export const isRefusal = (status: number): boolean => status >= 400 && status < 500;

export async function play(o: PlayOptions): Promise<PlayRow[]> {
  const rows: PlayRow[] = [];
  let first = true;
  const sendOne = async (p: Planned, injected = p.injected): Promise<PlayRow> => {
    if (!first && o.delayMs > 0) await sleep(o.delayMs);
    first = false;
    const body = Buffer.from(JSON.stringify(p.envelope));
    const deliveryId = randomUUID();
    const headers = deliveryHeaders({
      // A wrong signature: signed, but with a secret that is not the receiver's.
      secrets: [p.badSignature ? randomBytes(32).toString('hex') : o.secret],
      timestamp: Math.floor(o.now().getTime() / 1000) - (p.ageSeconds ?? 0),
      body,
      eventType: p.envelope.type,
      deliveryId,
    });
    const answer = await deliver(o.url, headers, body, o.env);
    // A refusal is a 4xx: a 5xx where one was due is a crash, which Anchor retries (as check-receiver grades it).
    const ok = p.expected === '2xx' ? is2xx(answer.status) : isRefusal(answer.status);
    const row: PlayRow = {
      event_type: p.envelope.type,
      event_id: p.envelope.id,
      delivery_id: deliveryId,
      ...(injected ? { injected } : {}),
      status: answer.status,
      expected: p.expected,
      ok,
      ...(injected === 'duplicate' && ok ? { caveat: DUPLICATE_CAVEAT } : {}),
      latency_ms: answer.latencyMs,
      response_body: answer.body,
    };
    rows.push(row);
    o.onRow?.(row);
    return row;
  };
  for (const p of planPlay(o.envelopes, o.chaos)) {
    const row = await sendOne(p);
    // At-least-once: the same envelope again, with a new delivery id, after the app took it.
    if (o.chaos.includes('duplicate') && p.expected === '2xx' && is2xx(row.status))
      await sendOne({ envelope: p.envelope, expected: '2xx' }, 'duplicate');
  }
  return rows;
}
