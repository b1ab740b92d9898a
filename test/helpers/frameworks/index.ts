// Real webhook receivers written with Express 5, Fastify 5, Hono, Flask and FastAPI, each in a
// NAIVE form (the way most first receivers are written: a JSON parser first and the signature
// checked over re-serialised JSON, only the first v1=, no freshness, no duplicate check) and a
// CORRECT form (the raw body the framework's documented way with a 1 MiB limit, every v1= in
// constant time, freshness, deduplication on the envelope id).
//
//   const app = await startFrameworkReceiver('flask', 'naive', { secret });
//   app.url            // http://127.0.0.1:<port>/webhooks/anchor, where deliveries go
//   await app.processed()  // the envelope ids the app acted on, in order (a duplicate twice if it acted twice)
//   await app.close()
//
// The TypeScript apps run in the test process; the Python ones are children of /usr/bin/python3
// (skip them with lacks('python-frameworks') from ../tools.ts). Each reads its secret as its .env
// would (ANCHOR_WEBHOOK_SECRET), never from argv.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import { Processed, type Form } from './anchor-check.js';
import { expressApp, type ExpressHalfFix } from './express.js';
import { fastifyApp } from './fastify.js';
import { honoApp } from './hono.js';
import { PYTHON_APPS, startPythonApp } from './python.js';

export type { Form } from './anchor-check.js';
export type Framework = 'express' | 'fastify' | 'hono' | 'flask' | 'fastapi';
export const FRAMEWORKS: readonly Framework[] = ['express', 'fastify', 'hono', 'flask', 'fastapi'];
export const PYTHON_FRAMEWORKS: readonly Framework[] = ['flask', 'fastapi'];

/** The file that holds a framework's receiver (both forms), to read its code. */
export function receiverSource(framework: Framework): string {
  if (framework === 'flask' || framework === 'fastapi') return PYTHON_APPS[framework];
  return fileURLToPath(new URL(`./${framework}.ts`, import.meta.url));
}

export interface FrameworkReceiver {
  /** Where Anchor (or anchor) delivers: `<origin>/webhooks/anchor`. */
  url: string;
  /** The envelope ids the app acted on, in the order it acted. */
  processed: () => Promise<string[]>;
  close: () => Promise<void>;
}

const PROCESSED_DEADLINE_MS = 5_000;

async function started(origin: string, close: () => Promise<void>): Promise<FrameworkReceiver> {
  return {
    url: `${origin}/webhooks/anchor`,
    processed: async () => {
      const res = await fetch(`${origin}/processed`, { signal: AbortSignal.timeout(PROCESSED_DEADLINE_MS) });
      if (!res.ok) throw new Error(`GET /processed answered ${res.status}`);
      return (await res.json()) as string[];
    },
    close,
  };
}

function listenHttp(server: http.Server): Promise<FrameworkReceiver> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(
        started(`http://127.0.0.1:${port}`, () => {
          server.closeAllConnections();
          return new Promise((r) => server.close(() => r()));
        }),
      );
    });
  });
}

/** Express with a half-fix of the issue (see express.ts): for the tests of check-receiver's Express fix. */
export function startExpressHalfFix(kind: ExpressHalfFix, { secret }: { secret: string }): Promise<FrameworkReceiver> {
  return listenHttp(http.createServer(expressApp(kind, { ANCHOR_WEBHOOK_SECRET: secret }, new Processed())));
}

/**
 * Flask's naive receiver as a new user writes it, over `json.dumps(request.get_json())` with its
 * defaults: no delivery verifies (every correct one is answered 401).
 */
export async function startFlaskNaiveDumps({ secret }: { secret: string }): Promise<FrameworkReceiver> {
  const app = await startPythonApp('flask', 'naive-dumps', secret);
  return started(app.origin, app.close);
}

export async function startFrameworkReceiver(
  framework: Framework,
  form: Form,
  { secret }: { secret: string },
): Promise<FrameworkReceiver> {
  const env = { ANCHOR_WEBHOOK_SECRET: secret };
  switch (framework) {
    case 'express':
      return listenHttp(http.createServer(expressApp(form, env, new Processed())));
    case 'fastify': {
      const app = fastifyApp(form, env, new Processed());
      const origin = await app.listen({ port: 0, host: '127.0.0.1' });
      return started(origin, () => app.close());
    }
    case 'hono':
      return listenHttp(createAdaptorServer({ fetch: honoApp(form, env, new Processed()).fetch }) as http.Server);
    case 'flask':
    case 'fastapi': {
      const app = await startPythonApp(framework, form, secret);
      return started(app.origin, app.close);
    }
  }
}
