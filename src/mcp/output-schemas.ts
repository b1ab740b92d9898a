// What each tool answers, as the outputSchema it declares: the command's --json, with a list as a
// page (`items`, `total`, `offset`, `next_offset` when there is more; paging.ts). Objects from the
// API accept fields this version does not know yet (the API is the authority on its own shapes);
// the fields listed are the ones every answer has. The SDK checks each result against its schema
// before it leaves the server, and clients check it again.
import { z } from 'zod';
import { DELIVERY_STATUSES } from '../api/schemas.js';

const webhook = z.looseObject({
  id: z.string(),
  project_id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  subscribed_events: z.array(z.string()),
  enabled: z.boolean(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});

const withSecretFile = webhook.extend({
  secret_file: z.string().describe('Absolute path of the 0600 file holding the signing secret.'),
});

const deliveryRow = z.looseObject({
  id: z.string(),
  external_event_id: z.string(),
  event_type: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempt: z.number(),
  response_status: z.number().nullable().optional(),
  error_message: z.string().nullable().optional(),
  scheduled_at: z.string().nullable().optional(),
  completed_at: z.string().nullable().optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
});

/** A page of a list: `next_offset` is there only when there is more. */
export function pageOf(item: z.ZodType) {
  return z.object({
    items: z.array(item),
    total: z.number().describe('How many there are in all.'),
    offset: z.number().describe('How many were skipped.'),
    next_offset: z.number().optional().describe('The offset of the next page; absent on the last one.'),
  });
}

const eventType = z.object({ type: z.string(), entity: z.string(), description: z.string() });

const receivedRow = z.looseObject({
  id: z.string(),
  received_at: z.string(),
  event_type: z.string().nullable(),
  event_id: z.string().nullable(),
  delivery_id: z.string().nullable(),
  verdict: z.enum(['ok', 'refused']),
  status: z.number(),
  replay_of: z.string().optional(),
  backfilled: z.boolean().optional(),
  forward: z
    .object({ url: z.string(), route: z.string().optional(), status: z.number(), latency_ms: z.number() })
    .optional(),
});

const replayed = z.looseObject({
  record_id: z.string(),
  replay_record_id: z.string().optional(),
  event_id: z.string().optional(),
  url: z.string(),
  resigned: z.boolean(),
  status: z.number(),
  latency_ms: z.number(),
  response_body: z.string(),
});

/** The output schema of each tool that does not declare its own, by tool name. */
export const OUTPUT_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  list_webhooks: pageOf(webhook),
  get_webhook: webhook,
  create_webhook: withSecretFile,
  update_webhook: webhook,
  delete_webhook: z.looseObject({ id: z.string(), deleted: z.literal(true) }),
  rotate_webhook_secret: withSecretFile,
  send_test_event: z.looseObject({
    external_event_id: z.string(),
    event_type: z.string(),
    delivery: deliveryRow.nullable().optional().describe('With wait: the final delivery row, or the last one seen.'),
  }),
  list_deliveries: pageOf(deliveryRow),
  list_event_types: pageOf(eventType),
  describe_event_type: eventType.extend({
    fields: z.array(z.object({ name: z.string(), type: z.string(), description: z.string() })),
    example: z.record(z.string(), z.unknown()),
  }),
  verify_signature: z.object({
    valid: z.boolean(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
    diagnosis: z.object({ cause: z.string(), message: z.string() }).optional(),
  }),
  list_received: pageOf(receivedRow),
  replay: z.object({ items: z.array(replayed) }),
};
