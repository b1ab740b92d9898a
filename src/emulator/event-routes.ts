// The emulator's routes that send events: a webhook's test event (sent even when it is disabled or
// not subscribed) and POST /_emulator/events, a real event fanned out to every webhook subscribed.
import { testRequestSchema } from '../api/schemas.js';
import { buildEnvelope, newEventId } from '../core/event-examples.js';
import { isEventType } from '../core/events.js';
import { eventsProblem } from '../core/validate.js';
import { HttpError, type Route } from './http.js';
import { parseBody, type RouteContext } from './route-context.js';

export function eventRoutes(c: RouteContext): Route[] {
  const { store, now, authenticate, webhookOr404, deliver } = c;
  return [
    {
      method: 'POST',
      pattern: /^\/v1\/webhooks\/([^/]+)\/test$/,
      handle: (req, m, body) => {
        const project = authenticate(req);
        const w = webhookOr404(project, m[1]!);
        const input = parseBody(testRequestSchema, body);
        const p = eventsProblem([input.event_type]);
        if (p) throw new HttpError(400, 'validation_error', `event_type: ${p.message}`);
        // A test event goes to this webhook even when it is disabled or not subscribed to the type.
        const envelope = buildEnvelope({ type: input.event_type, projectId: project.id, now: now() });
        deliver(w, envelope);
        return [202, { external_event_id: envelope.id, event_type: envelope.type }];
      },
    },
    {
      method: 'POST',
      pattern: /^\/_emulator\/events$/,
      handle: (req, _m, body) => {
        const project = authenticate(req);
        const input = (body ?? {}) as { type?: unknown; data?: unknown };
        if (typeof input.type !== 'string' || !isEventType(input.type)) {
          const p = eventsProblem([String(input.type ?? '')]);
          throw new HttpError(400, 'validation_error', `type: ${p?.message ?? 'required'}`);
        }
        if (
          input.data !== undefined &&
          (typeof input.data !== 'object' || input.data === null || Array.isArray(input.data))
        ) {
          throw new HttpError(400, 'validation_error', 'data: must be a JSON object');
        }
        const envelope = buildEnvelope({
          type: input.type,
          projectId: project.id,
          now: now(),
          id: newEventId(),
          ...(input.data === undefined ? {} : { data: input.data as Record<string, unknown> }),
        });
        const targets = store.active(project).filter((w) => w.enabled && w.subscribed_events.includes(envelope.type));
        for (const w of targets) deliver(w, envelope);
        return [202, { id: envelope.id, deliveries: targets.length }];
      },
    },
  ];
}
