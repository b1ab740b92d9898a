// The emulator's routes for webhooks themselves: create (at most MAX_WEBHOOKS_PER_PROJECT), list,
// get, update, delete, and rotate the secret (the previous one keeps signing for a day).
import { createRequestSchema, updateRequestSchema } from '../api/schemas.js';
import { descriptionProblem, eventsProblem, urlProblem } from '../core/validate.js';
import { normalizeWebhookUrl } from '../core/url-rules.js';
import { HttpError, type Route } from './http.js';
import { checkFields, parseBody, type RouteContext } from './route-context.js';
import {
  MAX_WEBHOOKS_PER_PROJECT,
  SECRET_OVERLAP_MS,
  newSecret,
  newWebhookId,
  toPublic,
  type StoredWebhook,
} from './store.js';

const LOCAL_HINT =
  'This emulator was started without --allow-local-targets: restart it with that flag to deliver to local receivers (and pass --allow-local-targets to anchor too)';

export function webhookRoutes(c: RouteContext): Route[] {
  const { store, now, authenticate, webhookOr404 } = c;
  const urlRules = { allowLocalTargets: c.allowLocalTargets, localHint: LOCAL_HINT };
  return [
    {
      method: 'POST',
      pattern: /^\/v1\/webhooks$/,
      handle: (req, _m, body) => {
        const project = authenticate(req);
        const input = parseBody(createRequestSchema, body);
        checkFields([
          urlProblem(input.url, urlRules),
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
          input.url === undefined ? undefined : urlProblem(input.url, urlRules),
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
  ];
}
