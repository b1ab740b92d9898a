// The API's shapes as zod schemas: responses the client parses at the boundary, and the request
// bodies the emulator validates. The rules themselves live in core/ (url-rules, events).
import { z } from 'zod';

export const webhookPublicSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  // Accept event types this CLI does not know yet: the server is the authority on its catalog.
  subscribed_events: z.array(z.string()),
  enabled: z.boolean(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});
export type WebhookPublic = z.infer<typeof webhookPublicSchema>;

export const webhookWithSecretSchema = webhookPublicSchema.extend({ secret: z.string() });
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
  attempt: z.number().int().min(0),
  response_status: z.number().int().nullable().optional(),
  error_message: z.string().nullable().optional(),
  scheduled_at: z.string().nullable().optional(),
  completed_at: z.string().nullable().optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
});
export type DeliveryRow = z.infer<typeof deliveryRowSchema>;

export const deliveryListSchema = z.object({
  events: z.array(deliveryRowSchema),
  pagination: z.object({ limit: z.number().int(), offset: z.number().int(), total: z.number().int() }),
});
export type DeliveryList = z.infer<typeof deliveryListSchema>;

// Request bodies, as the API takes them (types only; the rules are checked by core/validate.ts).
const eventList = z.array(z.string()).min(1, 'subscribed_events must list at least one event type');
export const createRequestSchema = z.object({
  url: z.string(),
  description: z.string().optional(),
  subscribed_events: eventList,
});
export type CreateRequest = z.infer<typeof createRequestSchema>;

export const updateRequestSchema = z.object({
  url: z.string().optional(),
  description: z.string().nullable().optional(),
  subscribed_events: eventList.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateRequest = z.infer<typeof updateRequestSchema>;

export const testRequestSchema = z.object({ event_type: z.string() });

