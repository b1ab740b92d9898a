// An independent verifier, written from the docs' algorithm and sharing no code with src/:
// HMAC_SHA256(secret, "v0:" + timestamp + ":" + raw_body).hex(), compared with each v1= value,
// timestamp within 2 minutes.
import crypto from 'node:crypto';

export function verifyDelivery(opts: {
  secret: string;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  rawBody: Buffer | string;
  nowSeconds?: number;
}): boolean {
  const { secret, timestampHeader, signatureHeader, rawBody } = opts;
  if (!timestampHeader || !signatureHeader) return false;
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestampHeader)) > 120) return false;
  const pairs = signatureHeader.split(',').map((p) => p.split('='));
  const t = pairs.find(([k]) => k === 't')?.[1];
  if (t !== timestampHeader) return false;
  const expected = crypto
    .createHmac('sha256', secret)
    .update(
      Buffer.concat([Buffer.from(`v0:${timestampHeader}:`), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody)]),
    )
    .digest('hex');
  return pairs
    .filter(([k]) => k === 'v1')
    .some(
      ([, v]) =>
        v !== undefined &&
        v.length === expected.length &&
        crypto.timingSafeEqual(Buffer.from(v), Buffer.from(expected)),
    );
}
