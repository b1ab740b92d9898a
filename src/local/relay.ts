// `listen --forward-to`: relays a verified delivery to the user's app and brings back its answer,
// which `listen` gives Anchor as its own.
//
// Not api/transport's `send` (which `deliver.ts` uses), because a relay is not a client call: the
// app's status is what Anchor acts on, so an answer over the limit is cut rather than failed; the
// app is the user's own, so no proxy applies and an https:// app on loopback may use a self-signed
// certificate; and the error the user and the record see is the socket's own message.
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackHost } from '../lib/loopback.js';
import { signatureHeader } from '../core/signature.js';
import { DEFAULT_FORWARD_TIMEOUT_MS } from './app-wait.js';

/** What is read of the forwarded app's answer, which is relayed to Anchor. */
export const MAX_FORWARD_RESPONSE_BYTES = 1024 * 1024;

/** The app gave no complete answer within the deadline (listen then answers Anchor 504). */
export class RelayTimeout extends Error {
  constructor(readonly afterMs: number) {
    super(`no complete answer within ${Math.round(afterMs / 100) / 10}s`);
  }
}

/** Anchor's headers the app needs to check the delivery itself; the rest stay with `listen`. */
const RELAYED_HEADERS = [
  'content-type',
  'user-agent',
  'anchor-event',
  'anchor-delivery-id',
  'anchor-timestamp',
  'anchor-signature',
];

export interface AppAnswer {
  status: number;
  body: Buffer;
  contentType?: string;
  truncated: boolean;
}

/**
 * POSTs the delivery to the app; its answer is read up to a limit, and the whole exchange has a
 * deadline. An https:// app on a loopback address may use a self-signed certificate; elsewhere
 * the certificate is checked. With `resignWith`, the same body bytes go with a signature of that
 * secret instead of Anchor's (the caller re-signs only a delivery whose HMAC it verified).
 */
export async function relay(
  url: URL,
  received: IncomingHttpHeaders,
  body: Buffer,
  resignWith?: string,
  timeoutMs = DEFAULT_FORWARD_TIMEOUT_MS,
): Promise<AppAnswer> {
  const headers: Record<string, string> = { 'content-length': String(body.length) };
  for (const h of RELAYED_HEADERS) {
    const v = received[h];
    if (typeof v === 'string') headers[h] = v;
  }
  if (resignWith !== undefined) {
    // Signed with Anchor's own timestamp, already checked fresh, not with now: re-signing never
    // makes a delivery look newer than Anchor made it, so the app's freshness check judges its
    // real age, and Anchor-Timestamp stays what Anchor's delivery log shows.
    const timestamp = Number(headers['anchor-timestamp']);
    headers['anchor-signature'] = signatureHeader([resignWith], timestamp, body);
  }
  const lib = url.protocol === 'https:' ? (await import('node:https')).default : http;
  const tls = url.protocol === 'https:' ? { rejectUnauthorized: !isLoopbackHost(url.hostname) } : {};
  return new Promise((resolve, reject) => {
    const out = lib.request(url, { method: 'POST', headers, agent: false, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (truncated: boolean) => {
        clearTimeout(deadline);
        const contentType = res.headers['content-type'];
        resolve({
          status: res.statusCode ?? 502,
          body: Buffer.concat(chunks),
          ...(contentType ? { contentType } : {}),
          truncated,
        });
      };
      res.on('data', (c: Buffer) => {
        if (size + c.length > MAX_FORWARD_RESPONSE_BYTES) {
          // The status is what Anchor acts on; an endless body is cut, not waited for.
          chunks.push(c.subarray(0, MAX_FORWARD_RESPONSE_BYTES - size));
          size = MAX_FORWARD_RESPONSE_BYTES;
          res.destroy();
          finish(true);
          return;
        }
        size += c.length;
        chunks.push(c);
      });
      res.on('end', () => finish(false));
      res.on('error', (e) => {
        clearTimeout(deadline);
        reject(e);
      });
    });
    // Rejected here, not through the socket's error: once the answer has begun, destroying the
    // request surfaces as the response's own "aborted", which would hide that time ran out.
    const deadline = setTimeout(() => {
      const late = new RelayTimeout(timeoutMs);
      reject(late);
      out.destroy(late);
    }, timeoutMs);
    out.on('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    out.end(body);
  });
}
