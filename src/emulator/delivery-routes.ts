// The emulator's route for a webhook's delivery log: GET /v1/webhooks/{id}/events, newest first,
// filtered and paged as the API does, with the 7-day retention applied as rows are read.
import { DELIVERY_FILTER_STATUSES } from '../core/delivery-status.js';
import { isEventType } from '../core/events.js';
import { HttpError, type Route } from './http.js';
import type { RouteContext } from './route-context.js';
import { RETENTION_MS, type StoredWebhook } from './store.js';

const FILTER_STATUSES = new Set<string>(DELIVERY_FILTER_STATUSES);
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function deliveryRoutes(c: RouteContext): Route[] {
  const { store, now, authenticate } = c;
  return [
    {
      method: 'GET',
      pattern: /^\/v1\/webhooks\/([^/]+)\/events$/,
      handle: (req, m, _body, url) => {
        const project = authenticate(req);
        const nowMs = now().getTime();
        const w = store.findReadable(project, m[1]!, nowMs);
        if (!w) throw new HttpError(404, 'not_found', `Webhook ${m[1]} not found in this project`);
        return [200, listDeliveries(w, url.searchParams, nowMs)];
      },
    },
  ];
}

function listDeliveries(w: StoredWebhook, q: URLSearchParams, nowMs: number) {
  const int = (name: string, min: number, max: number, dflt: number): number => {
    const raw = q.get(name);
    if (raw === null) return dflt;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new HttpError(
        400,
        'validation_error',
        `${name}: must be an integer from ${min} to ${max === Infinity ? 'up' : max}`,
      );
    }
    return Number(raw);
  };
  const time = (name: string): number | undefined => {
    const raw = q.get(name);
    if (raw === null) return undefined;
    const t = Date.parse(raw);
    if (!ISO_DATE_TIME.test(raw) || Number.isNaN(t))
      throw new HttpError(400, 'validation_error', `${name}: must be an ISO 8601 date-time`);
    return t;
  };
  const limit = int('limit', 1, 100, 25);
  const offset = int('offset', 0, Infinity, 0);
  const status = q.get('status');
  if (status !== null && !FILTER_STATUSES.has(status)) {
    throw new HttpError(400, 'validation_error', `status: must be one of ${DELIVERY_FILTER_STATUSES.join(', ')}`);
  }
  const eventType = q.get('event_type');
  if (eventType !== null && !isEventType(eventType))
    throw new HttpError(400, 'validation_error', `event_type: unknown event type "${eventType}"`);
  const since = time('since');
  const until = time('until');
  const includePayload = q.get('include_payload');
  if (includePayload !== null && includePayload !== 'true' && includePayload !== 'false') {
    throw new HttpError(400, 'validation_error', 'include_payload: must be true or false');
  }
  // 7-day retention, applied as rows are read.
  w.deliveries = w.deliveries.filter((d) => nowMs - Date.parse(d.scheduled_at) < RETENTION_MS);
  const rows = w.deliveries
    .map((d, i) => ({ d, i, t: Date.parse(d.scheduled_at) }))
    .filter(
      ({ d, t }) =>
        (status === null || d.status === status) &&
        (eventType === null || d.event_type === eventType) &&
        (since === undefined || t >= since) &&
        (until === undefined || t <= until),
    )
    .sort((a, b) => b.t - a.t || b.i - a.i)
    .map(({ d }) => d);
  const page = rows.slice(offset, offset + limit).map((d) => {
    const { payload, ...row } = d;
    return includePayload === 'true' ? { ...row, payload } : row;
  });
  return { events: page, pagination: { limit, offset, total: rows.length } };
}
