// `listen --webhook <id> --backfill <dur>`: what Anchor's delivery log shows as not succeeded for a
// webhook within a window, rebuilt from the log's payloads, signed with the listener's secret and
// re-delivered to the forward target (with routes by type, the route of each event's type) before
// the listener serves.
import { randomUUID } from 'node:crypto';
import type { ApiClient } from '../api/client.js';
import type { DeliveryRow } from '../api/schemas.js';
import { eventText, type Envelope } from '../core/event-examples.js';
import { deliveryHeaders } from '../core/signature.js';
import { deliver } from './deliver.js';
import { newRecordId, type RecordWriter } from './record.js';
import { routeFor, routeLabel, type ForwardRoute } from './forward-routes.js';

export interface Backfilled {
  envelope: Envelope;
  /** Where it went (none: no route for its type, so it was not re-delivered). */
  url?: string;
  route?: string;
  record_id: string;
  status: number;
  latency_ms: number;
  error?: string;
  /** No route matches its type: not re-delivered, not recorded. */
  not_forwarded?: string;
}

/** Every page of the log since `sinceIso`, with payloads. */
export async function readLog(api: ApiClient, webhookId: string, sinceIso: string): Promise<DeliveryRow[]> {
  const rows: DeliveryRow[] = [];
  for (let offset = 0; ;) {
    const page = await api.listDeliveries(webhookId, {
      since: sinceIso,
      include_payload: 'true',
      limit: '100',
      offset: String(offset),
    });
    rows.push(...page.events);
    offset += page.events.length;
    if (page.events.length === 0 || offset >= page.pagination.total) break;
  }
  return rows;
}

/** The events of the log with no succeeded delivery, oldest first, as envelopes. */
export function notSucceeded(rows: readonly DeliveryRow[]): Envelope[] {
  const byEvent = new Map<string, DeliveryRow[]>();
  for (const r of rows) byEvent.set(r.external_event_id, [...(byEvent.get(r.external_event_id) ?? []), r]);
  const out: Array<Envelope & { at: string }> = [];
  for (const [id, list] of byEvent) {
    if (list.some((r) => r.status === 'succeeded')) continue;
    const first = list.find((r) => r.payload) ?? list[0]!;
    const data = (first.payload ?? {}) as Record<string, unknown>;
    const at = list.map((r) => r.scheduled_at ?? '').sort()[0] || new Date(0).toISOString();
    out.push({
      id,
      type: first.event_type,
      created: at,
      project_id: '',
      text: eventText(first.event_type, data),
      data,
      at,
    });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at)).map(({ at: _at, ...e }) => e);
}

export async function backfill(o: {
  api: ApiClient;
  webhookId: string;
  windowMs: number;
  now: () => Date;
  secret: string;
  routes: readonly ForwardRoute[];
  env: Record<string, string | undefined>;
  record?: RecordWriter;
  onDelivered: (b: Backfilled) => void;
}): Promise<Backfilled[]> {
  const since = new Date(o.now().getTime() - o.windowMs).toISOString();
  const envelopes = notSucceeded(await readLog(o.api, o.webhookId, since));
  const done: Backfilled[] = [];
  for (const envelope of envelopes) {
    const route = routeFor(o.routes, envelope.type);
    if (!route) {
      // As listen itself does with an event no route takes: said, not sent.
      const skipped = {
        envelope,
        record_id: '',
        status: 0,
        latency_ms: 0,
        not_forwarded: `no route for ${envelope.type}`,
      };
      done.push(skipped);
      o.onDelivered(skipped);
      continue;
    }
    const forwardTo = route.url;
    const where = { url: forwardTo.toString(), ...routeLabel(route) };
    const body = Buffer.from(JSON.stringify(envelope));
    const deliveryId = randomUUID();
    const at = o.now();
    const headers = deliveryHeaders({
      secrets: [o.secret],
      timestamp: Math.floor(at.getTime() / 1000),
      body,
      eventType: envelope.type,
      deliveryId,
    });
    const recordId = newRecordId(at.getTime());
    o.record?.request({
      id: recordId,
      received_at: at.toISOString(),
      method: 'POST',
      path: forwardTo.pathname,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      body_b64: body.toString('base64'),
      verdict: 'ok',
      status: 0,
      event_type: envelope.type,
      event_id: envelope.id,
      delivery_id: deliveryId,
      backfilled: true,
    });
    let result: Backfilled;
    try {
      const a = await deliver(forwardTo, headers, body, o.env);
      o.record?.forward(recordId, {
        ...where,
        status: a.status,
        latency_ms: a.latencyMs,
        response_body: a.body,
      });
      result = { envelope, ...where, record_id: recordId, status: a.status, latency_ms: a.latencyMs };
    } catch (e) {
      const error = (e as Error).message;
      o.record?.forward(recordId, { ...where, status: 0, latency_ms: 0, response_body: '', error });
      result = { envelope, ...where, record_id: recordId, status: 0, latency_ms: 0, error };
    }
    done.push(result);
    o.onDelivered(result);
  }
  return done;
}
