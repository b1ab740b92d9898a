// The emulator's HTTP plumbing, apart from its routes: request bodies read up to a limit and parsed
// as JSON, routing with 404 and 405, typed errors answered as the API answers them, every response
// logged, and nothing a request does escaping the handler.
import http from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

/** An error the API answers with: `{"error": "<code>", "message": "<what and why>"}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message?: string,
  ) {
    super(message ?? error);
  }
}

export interface Route {
  method: string;
  pattern: RegExp;
  handle: (req: http.IncomingMessage, m: RegExpMatchArray, body: unknown, url: URL) => [number, unknown];
}

export interface JsonServerOptions {
  log: (line: string) => void;
  /** Called with every response sent (tests check each one against the OpenAPI document). */
  onResponse?: (method: string, path: string, status: number, body: unknown) => void;
}

export function jsonServer(routes: readonly Route[], options: JsonServerOptions): http.Server {
  const server = http.createServer(
    { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1000 },
    (req, res) => {
      const started = Date.now();
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(body);
        res.writeHead(status, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(text),
          ...headers,
        });
        res.end(text);
        options.log(`${req.method} ${req.url} ${status} ${Date.now() - started}ms`);
        options.onResponse?.(req.method ?? '', req.url ?? '', status, body);
      };
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) tooLarge = true;
        else chunks.push(c);
      });
      req.on('end', () => {
        try {
          if (tooLarge)
            throw new HttpError(413, 'payload_too_large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes`);
          const url = new URL(req.url ?? '/', 'http://emulator');
          const path = url.pathname.replace(/\/+$/, '') || '/';
          const matching = routes.filter((r) => r.pattern.test(path));
          if (matching.length === 0)
            throw new HttpError(404, 'not_found', `No such endpoint: ${req.method} ${url.pathname}`);
          const route = matching.find((r) => r.method === req.method);
          if (!route) {
            send(
              405,
              { error: 'method_not_allowed', message: `${req.method} is not allowed on ${url.pathname}` },
              { Allow: matching.map((r) => r.method).join(', ') },
            );
            return;
          }
          let body: unknown;
          if (size > 0) {
            try {
              body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON');
            }
          }
          const [status, payload] = route.handle(req, path.match(route.pattern)!, body, url);
          send(status, payload);
        } catch (e) {
          if (e instanceof HttpError) send(e.status, { error: e.error, message: e.message });
          else {
            options.log(`internal error: ${e instanceof Error ? e.stack : String(e)}`);
            send(500, { error: 'internal_error', message: 'The emulator failed to handle this request' });
          }
        }
      });
    },
  );
  server.keepAliveTimeout = 5000;
  return server;
}
