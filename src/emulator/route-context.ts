// What every route of the emulator's API shares: the caller's project from its key, a webhook of
// that project or a 404, delivery of an event to a webhook, and request bodies checked the way the
// API checks them (the first problem found, as a 400).
import type http from 'node:http';
import type { z } from 'zod/mini';
import type { buildEnvelope } from '../core/event-examples.js';
import type { Problem } from '../core/validate.js';
import type { DeliveryRecord, Dispatcher } from './dispatcher.js';
import { HttpError } from './http.js';
import type { Project, Store, StoredWebhook } from './store.js';

export type Envelope = ReturnType<typeof buildEnvelope>;

export interface RouteContext {
  readonly store: Store;
  readonly now: () => Date;
  readonly allowLocalTargets: boolean;
  authenticate(req: http.IncomingMessage): Project;
  webhookOr404(project: Project, id: string): StoredWebhook;
  deliver(w: StoredWebhook, envelope: Envelope): DeliveryRecord;
}

export function createRouteContext(o: {
  store: Store;
  dispatcher: Dispatcher;
  now: () => Date;
  allowLocalTargets: boolean;
  /** When set, only these keys are accepted; otherwise any non-empty key is a project of its own. */
  apiKeys?: readonly string[] | undefined;
}): RouteContext {
  const { store, dispatcher, now } = o;
  const allowed = o.apiKeys && o.apiKeys.length > 0 ? new Set(o.apiKeys) : undefined;
  return {
    store,
    now,
    allowLocalTargets: o.allowLocalTargets,
    authenticate(req) {
      const key = req.headers['anchor-api-key'];
      if (typeof key !== 'string' || key === '') {
        throw new HttpError(401, 'unauthorized', 'Missing API key: send it in the anchor-api-key header');
      }
      if (allowed && !allowed.has(key)) throw new HttpError(401, 'unauthorized', 'Invalid API Key');
      return store.project(key);
    },
    webhookOr404(project, id) {
      const w = store.findActive(project, id);
      if (!w) throw new HttpError(404, 'not_found', `Webhook ${id} not found in this project`);
      return w;
    },
    deliver(w, envelope) {
      const target = { id: w.id, url: w.url, signingSecrets: () => store.signingSecrets(w, now().getTime()) };
      const record = dispatcher.deliver(target, envelope);
      w.deliveries.push(record);
      return record;
    },
  };
}

export function checkFields(problems: Array<Problem | undefined>): void {
  const p = problems.find((x) => x !== undefined);
  if (p) throw new HttpError(400, 'validation_error', `${p.field}: ${p.message}`);
}

export function parseBody<T extends z.ZodMiniType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join('.') || 'body';
    throw new HttpError(400, 'validation_error', `${field}: ${issue.message}`);
  }
  return result.data;
}
