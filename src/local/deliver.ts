// Sending a delivery to the user's own endpoint as Anchor would (`events trigger`, scenarios,
// chaos, `check-receiver`): one POST with a deadline and a bounded read of the answer.
import type { IncomingHttpHeaders } from 'node:http';
import { send, TransportError } from '../api/transport.js';
import { NetworkError } from '../errors.js';

export const DELIVERY_TIMEOUT_MS = 10_000;
/** What is read of the endpoint's answer. */
export const DELIVERY_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface DeliveryAnswer {
  status: number;
  statusText: string;
  latencyMs: number;
  /** What check-receiver recognises a framework by (X-Powered-By, Server). */
  headers: IncomingHttpHeaders;
  body: string;
}

export async function deliver(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  env: Record<string, string | undefined>,
): Promise<DeliveryAnswer> {
  const started = process.hrtime.bigint();
  let res;
  try {
    res = await send({
      method: 'POST',
      url,
      headers,
      body,
      timeoutMs: DELIVERY_TIMEOUT_MS,
      env,
      maxResponseBytes: DELIVERY_MAX_RESPONSE_BYTES,
    });
  } catch (e) {
    if (!(e instanceof TransportError)) throw e;
    if (e.kind === 'too_large') {
      throw new NetworkError(
        `${url.origin} answered, but ${e.message.replace(/^the response from \S+ /, 'its response ')}`,
        { hint: 'A webhook endpoint answers with a status and a short body; Anchor ignores the body.' },
      );
    }
    throw new NetworkError(`could not deliver to ${url.origin}: ${e.message}`, {
      hint: `Is your app listening on ${url.host}?`,
    });
  }
  return {
    status: res.status,
    statusText: res.statusText,
    latencyMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
    headers: res.headers,
    body: res.body.toString('utf8'),
  };
}

export { is2xx } from '../lib/http-status.js';
