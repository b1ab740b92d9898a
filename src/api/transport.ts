// One HTTP exchange over node:http/https (cheaper to load than fetch on Node 20), through
// HTTP(S)_PROXY unless NO_PROXY says otherwise, with a whole-request timeout. It records whether
// the request left this machine, so the client knows when a retry is safe.
import http from 'node:http';
import type { Duplex } from 'node:stream';

// TLS is loaded only for https:// URLs: a plain-http call to the emulator does not pay for it.
const loadHttps = () => import('node:https').then((m) => m.default);
const loadTls = () => import('node:tls').then((m) => m.default);

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** Sent as is: a Buffer keeps bytes that are not UTF-8 exactly as they were signed. */
  body?: string | Buffer;
  timeoutMs: number;
  env: Record<string, string | undefined>;
  /** The most of a response body that is read; past it the request fails (default MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

/** No answer of the Anchor API comes near this: a page of 100 deliveries with payloads is ~1 MiB. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type FailureKind = 'refused' | 'dns' | 'timeout' | 'reset' | 'tls' | 'proxy' | 'too_large' | 'other';

/** A request that got no complete response. `sent` is false only when nothing reached the server. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly sent: boolean,
    readonly code?: string,
  ) {
    super(message);
  }
}

import { isLoopbackHost } from '../lib/loopback.js';

export { isLoopbackHost };

/** The proxy for `url` per HTTPS_PROXY/HTTP_PROXY and NO_PROXY; loopback is never proxied. */
export function proxyFor(url: URL, env: Record<string, string | undefined>): URL | undefined {
  if (isLoopbackHost(url.hostname)) return undefined;
  const raw = url.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!raw) return undefined;
  const noProxy = (env.NO_PROXY ?? env.no_proxy ?? '').split(/[\s,]+/).filter(Boolean);
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy) {
    if (entry === '*') return undefined;
    const [h, p] = entry.toLowerCase().split(/:(?=\d+$)/);
    if (p && p !== port) continue;
    const bare = h!.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return undefined;
  }
  try {
    return new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const creds = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(creds).toString('base64')}` };
}

/** Opens a TLS tunnel to `target` through `proxy` with CONNECT. */
async function tunnel(proxy: URL, target: URL, timeoutMs: number): Promise<Duplex> {
  const tls = await loadTls();
  return new Promise((resolve, reject) => {
    const port = target.port || '443';
    const req = http.request({
      host: proxy.hostname,
      port: proxy.port || 80,
      method: 'CONNECT',
      path: `${target.hostname}:${port}`,
      headers: { Host: `${target.hostname}:${port}`, ...proxyAuth(proxy) },
      timeout: timeoutMs,
    });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(
          new TransportError(
            `the proxy ${proxy.host} refused to connect to ${target.host} (${res.statusCode})`,
            'proxy',
            false,
          ),
        );
        return;
      }
      resolve(tls.connect({ socket, servername: target.hostname }));
    });
    req.on('timeout', () =>
      req.destroy(new TransportError(`the proxy ${proxy.host} did not answer`, 'timeout', false)),
    );
    req.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e instanceof TransportError
          ? e
          : new TransportError(`cannot reach the proxy ${proxy.host}: ${e.message}`, 'proxy', false, e.code),
      ),
    );
    req.end();
  });
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024
    ? `${Math.round(n / (1024 * 1024))} MiB`
    : n >= 1024
      ? `${Math.round(n / 1024)} KiB`
      : `${n} bytes`;
}

function classify(e: NodeJS.ErrnoException, sent: boolean, host: string): TransportError {
  if (e instanceof TransportError) return e;
  switch (e.code) {
    case 'ECONNREFUSED':
      return new TransportError(`connection refused by ${host}`, 'refused', false, e.code);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new TransportError(`cannot resolve ${host}`, 'dns', false, e.code);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return new TransportError(`the connection to ${host} was reset`, 'reset', sent, e.code);
    default:
      if (e.code?.startsWith('ERR_TLS') || e.code?.includes('CERT') || e.code === 'EPROTO') {
        return new TransportError(`TLS failed with ${host}: ${e.message}`, 'tls', false, e.code);
      }
      return new TransportError(`request to ${host} failed: ${e.message}`, 'other', sent, e.code);
  }
}

export async function send(r: HttpRequest): Promise<HttpResponse> {
  const proxy = proxyFor(r.url, r.env);
  const headers: Record<string, string> = { ...r.headers };
  if (r.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(r.body));
  let options: http.RequestOptions;
  let lib: Pick<typeof http, 'request'> = r.url.protocol === 'https:' ? await loadHttps() : http;

  if (proxy && r.url.protocol === 'https:') {
    const socket = await tunnel(proxy, r.url, r.timeoutMs);
    // No agent: only then does Node use createConnection (with `agent: false` it dials the host itself).
    options = { method: r.method, headers, createConnection: () => socket as never };
  } else if (proxy) {
    lib = http;
    options = {
      host: proxy.hostname,
      port: proxy.port || 80,
      method: r.method,
      path: r.url.toString(),
      headers: { ...headers, Host: r.url.host, ...proxyAuth(proxy) },
      agent: false,
    };
  } else {
    options = { method: r.method, headers, agent: false };
  }

  return new Promise((resolve, reject) => {
    let sent = false;
    let done = false;
    const fail = (e: TransportError) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(e);
    };
    const req = proxy && r.url.protocol !== 'https:' ? lib.request(options) : lib.request(r.url, options);
    const timer = setTimeout(() => {
      fail(new TransportError(`no response from ${r.url.host} within ${r.timeoutMs / 1000}s`, 'timeout', sent));
      req.destroy();
    }, r.timeoutMs);
    req.on('finish', () => (sent = true));
    req.on('error', (e: NodeJS.ErrnoException) => fail(classify(e, sent, r.url.host)));
    const limit = r.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const declared = Number(res.headers['content-length']);
      const tooLarge = () => {
        fail(
          new TransportError(
            `the response from ${r.url.host} is larger than ${formatBytes(limit)}; stopped reading it`,
            'too_large',
            true,
          ),
        );
        req.destroy();
      };
      if (Number.isFinite(declared) && declared > limit) {
        tooLarge();
        return;
      }
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) {
          chunks.length = 0;
          tooLarge();
          return;
        }
        chunks.push(c);
      });
      res.on('error', (e: NodeJS.ErrnoException) => fail(classify(e, true, r.url.host)));
      res.on('aborted', () => fail(new TransportError(`the response from ${r.url.host} was cut off`, 'reset', true)));
      res.on('end', () => {
        if (done) return;
        if (!res.complete) {
          fail(new TransportError(`the response from ${r.url.host} was cut off`, 'reset', true));
          return;
        }
        done = true;
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          body: Buffer.concat(chunks),
        });
      });
    });
    req.end(r.body);
  });
}
