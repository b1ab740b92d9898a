// The emulator's HTTP API: the 8 webhook operations of ../shared/anchor-webhooks.openapi.yaml,
// with the behaviour of anchor-webhooks-api.md, plus POST /_emulator/events to emit real events.
import type http from 'node:http';
import { buildEnvelope, newEventId } from '../core/event-examples.js';
import { isEventType } from '../core/events.js';
import { descriptionProblem, eventsProblem, urlProblem, type Problem } from '../core/validate.js';
import { createRequestSchema, testRequestSchema, updateRequestSchema } from '../api/schemas.js';
import { DELIVERY_FILTER_STATUSES } from '../core/delivery-status.js';
import { Dispatcher, type DeliveryRecord } from './dispatcher.js';
import { normalizeWebhookUrl } from '../core/url-rules.js';
import type { LookupFunction } from 'node:net';
import { closeServer, listenOn } from '../lib/serve.js';
import { HttpError, jsonServer, MAX_BODY_BYTES, type Route } from './http.js';
import {
  MAX_WEBHOOKS_PER_PROJECT,
  RETENTION_MS,
  SECRET_OVERLAP_MS,
  Store,
  newSecret,
  newWebhookId,
  toPublic,
  type Project,
  type StoredWebhook,
} from './store.js';
import type { z } from 'zod/mini';

export { MAX_BODY_BYTES };

export interface EmulatorOptions {
  port: number;
  host: string;
  /** When set, only these keys are accepted; otherwise any non-empty key is a project of its own. */
  apiKeys?: readonly string[];
  allowLocalTargets: boolean;
  retryDelaysMs: readonly number[];
  deliveryTimeoutMs?: number;
  /** How delivery hosts are resolved (dns.lookup); a test passes a resolver of its own. */
  lookup?: LookupFunction;
  now?: () => Date;
  log?: (line: string) => void;
  /** Called with every response sent (tests check each one against the OpenAPI document). */
  onResponse?: (method: string, path: string, status: number, body: unknown) => void;
}

export interface RunningEmulator {
  url: string;
  port: number;
  dispatcher: Dispatcher;
  close: () => Promise<void>;
}

const FILTER_STATUSES = new Set<string>(DELIVERY_FILTER_STATUSES);
const LOCAL_HINT =
  'This emulator was started without --allow-local-targets: restart it with that flag to deliver to local receivers (and pass --allow-local-targets to anchor too)';
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const store = new Store();
  const dispatcher = new Dispatcher({
    retryDelaysMs: options.retryDelaysMs,
    now,
    log,
    allowLocalTargets: options.allowLocalTargets,
    ...(options.lookup ? { lookup: options.lookup } : {}),
    ...(options.deliveryTimeoutMs === undefined ? {} : { timeoutMs: options.deliveryTimeoutMs }),
  });
  const allowed = options.apiKeys && options.apiKeys.length > 0 ? new Set(options.apiKeys) : undefined;

  function authenticate(req: http.IncomingMessage): Project {
    const key = req.headers['anchor-api-key'];
    if (typeof key !== 'string' || key === '') {
      throw new HttpError(401, 'unauthorized', 'Missing API key: send it in the anchor-api-key header');
    }
    if (allowed && !allowed.has(key)) throw new HttpError(401, 'unauthorized', 'Invalid API Key');
    return store.project(key);
  }

  function target(w: StoredWebhook) {
    return { id: w.id, url: w.url, signingSecrets: () => store.signingSecrets(w, now().getTime()) };
  }

  function deliver(w: StoredWebhook, envelope: ReturnType<typeof buildEnvelope>): DeliveryRecord {
    const record = dispatcher.deliver(target(w), envelope);
    w.deliveries.push(record);
    return record;
  }

  function checkFields(problems: Array<Problem | undefined>): void {
    const p = problems.find((x) => x !== undefined);
    if (p) throw new HttpError(400, 'validation_error', `${p.field}: ${p.message}`);
  }

  function parseBody<T extends z.ZodMiniType>(schema: T, body: unknown): z.infer<T> {
    const result = schema.safeParse(body);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = issue.path.join('.') || 'body';
      throw new HttpError(400, 'validation_error', `${field}: ${issue.message}`);
    }
    return result.data;
  }

  function webhookOr404(project: Project, id: string): StoredWebhook {
    const w = store.findActive(project, id);
    if (!w) throw new HttpError(404, 'not_found', `Webhook ${id} not found in this project`);
    return w;
  }

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/v1\/webhooks$/,
      handle: (req, _m, body) => {
        const project = authenticate(req);
        const input = parseBody(createRequestSchema, body);
        checkFields([
          urlProblem(input.url, { allowLocalTargets: options.allowLocalTargets, localHint: LOCAL_HINT }),
          eventsProblem(input.subscribed_events),
          descriptionProblem(input.description),
        ]);
        if (store.active(project).length >= MAX_WEBHOOKS_PER_PROJECT) {
          throw new HttpError(
            409,
            'webhook_limit_reached',
            `This project already has ${MAX_WEBHOOKS_PER_PROJECT} webhooks, the most allowed. Delete or reuse one.`,
          );
        }
        const at = now().toISOString();
        const w: StoredWebhook = {
          id: newWebhookId(),
          project_id: project.id,
          url: normalizeWebhookUrl(input.url),
          description: input.description ?? null,
          subscribed_events: [...new Set(input.subscribed_events)],
          enabled: true,
          created_at: at,
          updated_at: at,
          secret: newSecret(),
          deliveries: [],
        };
        project.webhooks.push(w);
        return [201, { ...toPublic(w), secret: w.secret }];
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/webhooks$/,
      handle: (req) => {
        const project = authenticate(req);
        return [200, { webhooks: store.active(project).map(toPublic) }];
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/webhooks\/([^/]+)$/,
      handle: (req, m) => [200, toPublic(webhookOr404(authenticate(req), m[1]!))],
    },
    {
      method: 'PATCH',
      pattern: /^\/v1\/webhooks\/([^/]+)$/,
      handle: (req, m, body) => {
        const w = webhookOr404(authenticate(req), m[1]!);
        const input = parseBody(updateRequestSchema, body);
        checkFields([
          input.url === undefined
            ? undefined
            : urlProblem(input.url, { allowLocalTargets: options.allowLocalTargets, localHint: LOCAL_HINT }),
          input.subscribed_events === undefined ? undefined : eventsProblem(input.subscribed_events),
          descriptionProblem(input.description),
        ]);
        const before = JSON.stringify(toPublic(w));
        if (input.url !== undefined) w.url = normalizeWebhookUrl(input.url);
        if (input.description !== undefined) w.description = input.description;
        if (input.subscribed_events !== undefined) w.subscribed_events = [...new Set(input.subscribed_events)];
        if (input.enabled !== undefined) w.enabled = input.enabled;
        const changed = JSON.stringify(toPublic(w)) !== before;
        if (changed) w.updated_at = now().toISOString();
        return [200, toPublic(w)];
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/v1\/webhooks\/([^/]+)$/,
      handle: (req, m) => {
        const w = webhookOr404(authenticate(req), m[1]!);
        w.deletedAt = now().getTime();
        return [200, { ok: true }];
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/webhooks\/([^/]+)\/rotate-secret$/,
      handle: (req, m) => {
        const w = webhookOr404(authenticate(req), m[1]!);
        const at = now();
        w.previous = { secret: w.secret, expiresAt: at.getTime() + SECRET_OVERLAP_MS };
        w.secret = newSecret();
        w.updated_at = at.toISOString();
        return [200, { ...toPublic(w), secret: w.secret }];
      },
    },
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
    { method: 'GET', pattern: /^\/_emulator\/health$/, handle: () => [200, { ok: true }] },
  ];

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

  const server = jsonServer(routes, { log, ...(options.onResponse ? { onResponse: options.onResponse } : {}) });

  const { port, origin } = await listenOn(server, options.port, options.host);
  return {
    url: origin,
    port,
    dispatcher,
    async close() {
      await dispatcher.close();
      await closeServer(server);
    },
  };
}
