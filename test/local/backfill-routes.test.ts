// `listen --backfill` with routes by type: each event of the delivery log that did not succeed is
// re-delivered to its own route's app (two real apps on loopback); a type no route takes is said,
// not sent; the record keeps the route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/client.js';
import type { DeliveryRow } from '../../src/api/schemas.js';
import { backfill, type Backfilled } from '../../src/local/backfill.js';
import type { ForwardResult, RecordWriter } from '../../src/local/record.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

const row = (id: string, type: string): DeliveryRow => ({
  id: `dlv_${id}`,
  external_event_id: id,
  event_type: type,
  status: 'failed',
  attempt: 1,
  scheduled_at: '2026-01-01T00:00:00.000Z',
  payload: { task_id: 'tsk_1' },
});

let tasks: Receiver;
let other: Receiver;
beforeAll(async () => {
  [tasks, other] = await Promise.all([startReceiver(), startReceiver()]);
});
afterAll(async () => {
  await Promise.all([tasks.close(), other.close()]);
});

describe('backfill with routes', () => {
  it('re-delivers each event to the route of its type', async () => {
    const rows = [row('evt_b1', 'task.failed'), row('evt_b2', 'batch.completed'), row('evt_b3', 'session.failed')];
    // The one call backfill makes of the API: a page of the log, then the end.
    const api = {
      listDeliveries: (_id: string, q: Record<string, string>) =>
        Promise.resolve({
          events: q.offset === '0' ? rows : [],
          pagination: { limit: 100, offset: Number(q.offset), total: rows.length },
        }),
    } as unknown as ApiClient;
    const forwards: ForwardResult[] = [];
    const record = {
      request: () => {},
      forward: (_id: string, f: ForwardResult) => forwards.push(f),
    } as unknown as RecordWriter;
    const said: Backfilled[] = [];
    const done = await backfill({
      api,
      webhookId: 'wh_1',
      windowMs: 3_600_000,
      now: () => new Date('2026-01-01T00:30:00.000Z'),
      secret: 'whsec_backfill_routes_0123456789',
      routes: [
        { pattern: 'task.*', url: new URL(tasks.url) },
        { pattern: 'batch.*', url: new URL(other.url) },
      ],
      env: {},
      record,
      onDelivered: (d) => said.push(d),
    });
    expect(done).toEqual(said);
    const typeOf = (r: Receiver) => r.requests.map((q) => (JSON.parse(q.body.toString()) as { type: string }).type);
    expect(typeOf(tasks)).toEqual(['task.failed']);
    expect(typeOf(other)).toEqual(['batch.completed']);
    expect(done.map((d) => [d.envelope.type, d.route, d.status, d.not_forwarded])).toEqual([
      ['task.failed', 'task.*', 200, undefined],
      ['batch.completed', 'batch.*', 200, undefined],
      ['session.failed', undefined, 0, 'no route for session.failed'],
    ]);
    expect(forwards.map((f) => [f.url, f.route])).toEqual([
      [tasks.url, 'task.*'],
      [other.url, 'batch.*'],
    ]);
  });
});
