// The web frameworks `check-receiver` gives fixes for: each one's documented way to read a
// webhook's raw body and to accept Anchor's largest deliveries, and how to recognise it from its
// answers. Each snippet is the one the journey suite's correct receivers use, verbatim.
import type { IncomingHttpHeaders } from 'node:http';

export type FrameworkId = 'express' | 'fastify' | 'hono' | 'nextjs' | 'flask' | 'fastapi' | 'django';

export interface ReceiverFramework {
  id: FrameworkId;
  name: string;
  /** How to verify the raw bytes (the first `…` span is the code to write), for a route at `path`. */
  rawBody: (path: string) => string;
  /** How to let a delivery of up to 1 MiB through (the first `…` span is the code to write). */
  bodyLimit: (path: string) => string;
}

/** The route as a quoted JavaScript string: a URL's path may hold a quote. */
const quoted = (path: string) => `'${path.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const EXPRESS_RAW = (path: string) =>
  `app.post(${quoted(path)}, express.raw({ type: 'application/json', limit: '1mb' }), handler)`;

/** Which of Express's body parsers answered a 413, and what said so (its error page, or another check). */
export interface ExpressParser {
  parser: 'global-json' | 'route-raw';
  by: string;
}

/**
 * Express's fix for a 413. Both parsers stop at 100 kB, so the limit alone is not the whole story:
 * when a global express.json() reads the body before the route, the route's own limit never runs.
 */
export function expressBodyLimit(path: string, answered?: ExpressParser): string {
  const raw = `\`${EXPRESS_RAW(path)}\``;
  if (answered?.parser === 'global-json')
    return `register ${raw} BEFORE \`app.use(express.json())\`: the 413 came from a global express.json() that reads the body before your route (${answered.by}), and it stops at 100 kB; a limit on an express.raw() placed after it never runs`;
  if (answered?.parser === 'route-raw')
    return `${raw}: the route's express.raw() answered 413 (${answered.by}), and Express's body parsers stop at 100 kB unless given a limit`;
  return `${raw}, registered BEFORE any global \`app.use(express.json())\`: Express's body parsers stop at 100 kB unless given a limit, and a global express.json() that reads the body first answers 413 whatever limit an express.raw() placed after it has`;
}

export const FRAMEWORKS: readonly ReceiverFramework[] = [
  {
    id: 'express',
    name: 'Express',
    rawBody: (path) =>
      `register \`${EXPRESS_RAW(path)}\` BEFORE \`app.use(express.json())\` (an express.raw() added on the route after a global express.json() gets a body already parsed), then verify req.body (a Buffer) and JSON.parse it`,
    bodyLimit: (path) => expressBodyLimit(path),
  },
  {
    id: 'fastify',
    name: 'Fastify',
    rawBody: () =>
      "in the plugin that registers the webhook route (other routes keep parsing JSON): `fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 1048576 }, (request, body, done) => done(null, body))`, then verify request.body (a Buffer) and JSON.parse it (or use a raw-body plugin's request.rawBody)",
    bodyLimit: () =>
      "`bodyLimit: 1048576` in that addContentTypeParser's options (or in `fastify({ bodyLimit: 1048576 })`): Fastify's default is 1 MiB, so a lower limit was set",
  },
  {
    id: 'hono',
    name: 'Hono',
    rawBody: () =>
      '`const raw = await c.req.text()` before any c.req.json(), then verify raw and JSON.parse(raw) (c.req.arrayBuffer() gives the bytes too)',
    bodyLimit: () =>
      '`bodyLimit({ maxSize: 1024 * 1024 })` if hono/body-limit guards the webhook route (Hono itself sets no limit)',
  },
  {
    id: 'nextjs',
    name: 'Next.js',
    rawBody: () =>
      '`const raw = await req.text()` in the route handler, before any req.json() (Pages Router: `export const config = { api: { bodyParser: false } }` and read the stream)',
    bodyLimit: () =>
      "`export const config = { api: { bodyParser: { sizeLimit: '1mb' } } }` in a Pages Router API route (App Router route handlers set no limit)",
  },
  {
    id: 'flask',
    name: 'Flask',
    rawBody: () => '`raw = request.get_data()` before request.get_json(), then verify raw and json.loads(raw)',
    bodyLimit: () => '`app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024` or more, if it is set (Flask sets no limit)',
  },
  {
    id: 'fastapi',
    name: 'FastAPI',
    rawBody: () =>
      '`raw = await request.body()` in a route that takes `request: Request` (not a model, which is parsed first), then verify raw and json.loads(raw)',
    bodyLimit: () =>
      'FastAPI sets no limit: raise the one in front of it (a proxy, e.g. nginx `client_max_body_size 1m;`, or a middleware) to 1 MiB',
  },
  {
    id: 'django',
    name: 'Django',
    rawBody: () =>
      '`raw = request.body` in a @csrf_exempt view, before json.loads(raw), then verify raw (never request.POST)',
    bodyLimit: () =>
      '`DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024` or more in settings.py (the default, 2.5 MB, is enough)',
  },
];

export function framework(id: FrameworkId): ReceiverFramework {
  return FRAMEWORKS.find((f) => f.id === id)!;
}

/** One answer of the receiver, as much as recognising its framework needs. */
export interface SeenAnswer {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Recognised {
  id: FrameworkId;
  /** What gave it away, for people: `X-Powered-By: Express`. */
  by: string;
}

const header = (h: IncomingHttpHeaders, name: string): string => {
  const v = h[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
};

/** The framework of one answer, from what frameworks put in it by default; undefined when none says. */
function recogniseOne(a: SeenAnswer): Recognised | undefined {
  const powered = header(a.headers, 'x-powered-by');
  if (/^express\b/i.test(powered)) return { id: 'express', by: `X-Powered-By: ${powered}` };
  if (/^next\.js\b/i.test(powered)) return { id: 'nextjs', by: `X-Powered-By: ${powered}` };
  const server = header(a.headers, 'server');
  if (/^uvicorn\b/i.test(server)) return { id: 'fastapi', by: `Server: ${server}` };
  if (/^werkzeug\//i.test(server)) return { id: 'flask', by: `Server: ${server}` };
  // Django's runserver is the standard library's WSGIServer.
  if (/^wsgiserver\//i.test(server)) return { id: 'django', by: `Server: ${server}` };
  // Fastify's own errors (a body over its limit, a bad content type) carry an FST_ code.
  if (/"code"\s*:\s*"FST_/.test(a.body.slice(0, 2048)))
    return { id: 'fastify', by: 'an FST_ error code in its answer' };
  return undefined;
}

export function recogniseFramework(answers: readonly SeenAnswer[]): Recognised | undefined {
  for (const a of answers) {
    const found = recogniseOne(a);
    if (found) return found;
  }
  return undefined;
}

/**
 * A fix that depends on the framework: that framework's way when it was recognised, else each
 * framework's way on a line of its own.
 */
export function frameworkFix(
  lead: string,
  way: (f: ReceiverFramework) => string,
  recognised: Recognised | undefined,
): string {
  if (recognised) {
    const f = framework(recognised.id);
    return `${lead} ${f.name} (recognised by ${recognised.by}): ${way(f)}.`;
  }
  return [
    `${lead} Your framework did not say which it is; the way of each:`,
    ...FRAMEWORKS.map((f) => `${f.name}: ${way(f)}.`),
  ].join('\n');
}
