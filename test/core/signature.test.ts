// The signer agrees with an independent verifier written from the docs.
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { computeSignature, deliveryHeaders, parseSignatureHeader, signatureHeader } from '../../src/core/signature.js';
import { verifyDelivery } from '../helpers/verifier.js';

const SECRET = '36da51b166a69268a59a8d5ee0b32c9f5e5aaee7d301c7a5a36844318e116fc6';

describe('signatures', () => {
  it('is HMAC-SHA256 of v0:{t}:{body} keyed with the secret string, hex', () => {
    const expected = createHmac('sha256', Buffer.from(SECRET, 'utf8')).update('v0:1716544084:{"a":1}').digest('hex');
    expect(computeSignature(SECRET, 1716544084, '{"a":1}')).toBe(expected);
  });

  it('headers verify with the independent verifier, and fail for another body or secret', () => {
    const t = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ id: 'evt_1', type: 'task.completed' });
    const h = deliveryHeaders({ secrets: [SECRET], timestamp: t, body, eventType: 'task.completed', deliveryId: 'd1' });
    expect(h['Anchor-Timestamp']).toBe(String(t));
    expect(h['Anchor-Signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(
      verifyDelivery({
        secret: SECRET,
        timestampHeader: h['Anchor-Timestamp'],
        signatureHeader: h['Anchor-Signature'],
        rawBody: body,
      }),
    ).toBe(true);
    expect(
      verifyDelivery({
        secret: SECRET,
        timestampHeader: h['Anchor-Timestamp'],
        signatureHeader: h['Anchor-Signature'],
        rawBody: `${body}\n`,
      }),
    ).toBe(false);
    expect(
      verifyDelivery({
        secret: 'other',
        timestampHeader: h['Anchor-Timestamp'],
        signatureHeader: h['Anchor-Signature'],
        rawBody: body,
      }),
    ).toBe(false);
  });

  it('carries one v1 per secret during a rotation; each verifies', () => {
    const header = signatureHeader(['new-secret', 'old-secret'], 100, 'body');
    const parsed = parseSignatureHeader(header);
    expect(parsed.timestamp).toBe('100');
    expect(parsed.signatures).toHaveLength(2);
    for (const s of ['new-secret', 'old-secret']) {
      expect(
        verifyDelivery({
          secret: s,
          timestampHeader: '100',
          signatureHeader: header,
          rawBody: 'body',
          nowSeconds: 100,
        }),
      ).toBe(true);
    }
  });
});
