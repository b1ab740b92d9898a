// The generated response validators are the zod schemas of src/api/schemas.ts, compiled.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { generateValidators } from '../../scripts/gen-validators.mjs';
import * as validators from '../../src/api/validators.generated.js';
import { webhookListSchema, deliveryListSchema } from '../../src/api/schemas.js';
import { sampleWebhook } from '../helpers/script-server.js';

describe('generated validators', () => {
  it('match the schemas (run `npm run generate` after changing src/api/schemas.ts)', async () => {
    expect(readFileSync(new URL('../../src/api/validators.generated.js', import.meta.url), 'utf8')).toBe(
      await generateValidators(),
    );
  }, 30_000);

  it.each([
    [{ webhooks: [sampleWebhook] }, true],
    [{ webhooks: [{ ...sampleWebhook, added_later: 1 }] }, true],
    [{ webhooks: [{ ...sampleWebhook, enabled: 'yes' }] }, false],
    [{ webhooks: [{ ...sampleWebhook, description: null, created_at: null }] }, true],
    [{ webhooks: [{ id: 'wh_1' }] }, false],
    [{}, false],
  ])('agree with zod on %j', (body, ok) => {
    expect(validators.webhookList(body)).toBe(ok);
    expect(webhookListSchema.safeParse(body).success).toBe(ok);
  });

  it('agree with zod on delivery pages', () => {
    const row = {
      id: 'd',
      external_event_id: 'evt',
      event_type: 'task.failed',
      status: 'dead',
      attempt: 6,
      response_status: 500,
      error_message: 'x',
      scheduled_at: null,
      completed_at: null,
    };
    for (const [body, ok] of [
      [{ events: [row], pagination: { limit: 25, offset: 0, total: 1 } }, true],
      [{ events: [{ ...row, status: 'in_flight' }], pagination: { limit: 25, offset: 0, total: 1 } }, true],
      [{ events: [{ ...row, status: 'lost' }], pagination: { limit: 25, offset: 0, total: 1 } }, false],
      [{ events: [{ ...row, attempt: -1 }], pagination: { limit: 25, offset: 0, total: 1 } }, false],
      [{ events: [{ ...row, attempt: 1.5 }], pagination: { limit: 25, offset: 0, total: 1 } }, false],
      [{ events: [] }, false],
    ] as const) {
      expect(validators.deliveryList(body)).toBe(ok);
      expect(deliveryListSchema.safeParse(body).success).toBe(ok);
    }
  });
});
