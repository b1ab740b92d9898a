// The API's shapes as zod schemas: responses the client parses at the boundary, and the request
// bodies the emulator validates. The rules themselves live in core/ (url-rules, events).
import { z } from 'zod/mini';

export const webhookPublicSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  url: z.string(),
  description: z.nullable(z.string()),
  // Accept event types this CLI does not know yet: the server is the authority on its catalog.
  subscribed_events: z.array(z.string()),
  enabled: z.boolean(),
  created_at: z.nullable(z.string()),
  updated_at: z.nullable(z.string()),
});
export type WebhookPublic = z.infer<typeof webhookPublicSchema>;

export const webhookWithSecretSchema = z.extend(webhookPublicSchema, { secret: z.string() });
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

export const webhookListSchema = z.object({ webhooks: z.array(webhookPublicSchema) });
export const webhookDeleteSchema = z.object({ ok: z.boolean() });

export const testEventResponseSchema = z.object({ external_event_id: z.string(), event_type: z.string() });

/** Both spec revisions' statuses: the older one has in_flight. */
export const DELIVERY_STATUSES = ['pending', 'in_flight', 'succeeded', 'failed', 'dead'] as const;
export const deliveryRowSchema = z.object({
  id: z.string(),
  external_event_id: z.string(),
  event_type: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempt: z.int().check(z.minimum(0)),
  response_status: z.optional(z.nullable(z.int())),
  error_message: z.optional(z.nullable(z.string())),
  scheduled_at: z.optional(z.nullable(z.string())),
  completed_at: z.optional(z.nullable(z.string())),
  payload: z.optional(z.record(z.string(), z.unknown())),
});
export type DeliveryRow = z.infer<typeof deliveryRowSchema>;

export const deliveryListSchema = z.object({
  events: z.array(deliveryRowSchema),
  pagination: z.object({ limit: z.int(), offset: z.int(), total: z.int() }),
});
export type DeliveryList = z.infer<typeof deliveryListSchema>;

// Request bodies, as the API takes them (types only; the rules are checked by core/validate.ts).
const eventList = z.array(z.string()).check(z.minLength(1, 'subscribed_events must list at least one event type'));
export const createRequestSchema = z.object({
  url: z.string(),
  description: z.optional(z.string()),
  subscribed_events: eventList,
});
export type CreateRequest = z.infer<typeof createRequestSchema>;

export const updateRequestSchema = z.object({
  url: z.optional(z.string()),
  description: z.optional(z.nullable(z.string())),
  subscribed_events: z.optional(eventList),
  enabled: z.optional(z.boolean()),
});
export type UpdateRequest = z.infer<typeof updateRequestSchema>;

export const testRequestSchema = z.object({ event_type: z.string() });
