// How the journey suite's TypeScript receivers check a delivery, written from Anchor's docs and
// independently of src/: the NAIVE way most first receivers do it (over a body re-serialised
// from parsed JSON, only the first v1=, no freshness) and the CORRECT way (the raw bytes, every
// v1= in constant time, the timestamp fresh and equal to t=).
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Form = 'naive' | 'correct';

/** What an app reads from its .env. */
export interface AppEnv {
  ANCHOR_WEBHOOK_SECRET: string;
}

/** Why a delivery was refused, as the status and text to answer; undefined when it verified. */
export interface Refusal {
  status: number;
  text: string;
}

const TOLERANCE_SECONDS = 300;
type Header = (name: string) => string | undefined;

const hmac = (secret: string, t: string, body: Buffer) =>
  createHmac('sha256', secret).update(`v0:${t}:`).update(body).digest('hex');

/** The naive check: the body the app has is JSON.stringify of what its parser made. */
export function naiveCheck(secret: string, header: Header, reserialised: string): Refusal | undefined {
  const signature = header('anchor-signature');
  const timestamp = header('anchor-timestamp');
  if (!signature || !timestamp) return { status: 400, text: 'missing Anchor headers' };
  const first = signature.split(',').find((p) => p.startsWith('v1='));
  if (first?.slice(3) !== hmac(secret, timestamp, Buffer.from(reserialised)))
    return { status: 401, text: 'bad signature' };
  return undefined;
}

export function correctCheck(secret: string, header: Header, raw: Buffer): Refusal | undefined {
  const signature = header('anchor-signature');
  const timestamp = header('anchor-timestamp');
  if (!signature || !timestamp) return { status: 400, text: 'missing Anchor headers' };
  const parts = signature.split(',');
  const t = parts.find((p) => p.startsWith('t='))?.slice(2);
  if (t === undefined || t !== timestamp) return { status: 400, text: 'timestamp mismatch' };
  if (!/^\d+$/.test(t) || Math.abs(Date.now() / 1000 - Number(t)) > TOLERANCE_SECONDS)
    return { status: 401, text: 'stale delivery' };
  const expected = Buffer.from(hmac(secret, t, raw));
  const matches = parts
    .filter((p) => p.startsWith('v1='))
    .some((p) => {
      const got = Buffer.from(p.slice(3));
      return got.length === expected.length && timingSafeEqual(got, expected);
    });
  return matches ? undefined : { status: 401, text: 'bad signature' };
}

/**
 * What the apps act on: the envelope ids they processed, in order. The correct form acts on an id
 * once (deduplicated on the envelope id); the naive one acts on every delivery it verified.
 */
export class Processed {
  readonly ids: string[] = [];
  /** True when the app acted; false for a duplicate the correct form acknowledged without acting. */
  act(form: Form, envelope: unknown): boolean {
    const id = String((envelope as { id?: unknown }).id);
    if (form === 'correct' && this.ids.includes(id)) return false;
    this.ids.push(id);
    return true;
  }
}
