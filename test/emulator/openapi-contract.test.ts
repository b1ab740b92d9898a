// The OpenAPI copy the contract tests use is the shared one, and the checker really rejects.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertMatchesSpec, OPENAPI_PATH } from '../helpers/openapi.js';

const SHARED = new URL('../../../shared/anchor-webhooks.openapi.yaml', import.meta.url);

describe('OpenAPI contract', () => {
  it.runIf(existsSync(SHARED))('test/fixtures holds the same document as ../shared', () => {
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(readFileSync(SHARED, 'utf8'));
  });

  it('rejects bodies and statuses the document does not allow', () => {
    expect(() => assertMatchesSpec('GET', '/v1/webhooks', 200, { webhooks: [{ id: 'wh_1' }] })).toThrow(
      /does not match/,
    );
    expect(() => assertMatchesSpec('GET', '/v1/webhooks', 200, {})).toThrow(/does not match/);
    expect(() => assertMatchesSpec('DELETE', '/v1/webhooks/wh_1', 409, { error: 'x' })).toThrow(
      /does not document 409/,
    );
    expect(() => assertMatchesSpec('GET', '/v1/webhooks/wh_1/events', 400, { message: 'no error field' })).toThrow(
      /FlatErrorResponse/,
    );
    expect(() => assertMatchesSpec('GET', '/v1/webhooks', 200, { webhooks: [] })).not.toThrow();
  });
});
