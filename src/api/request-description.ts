// What a request to the API is, before it is sent: its URL under the configured base, its headers,
// and the forms with the key and secrets redacted that --dry-run and --debug show.
import { REDACTED } from '../ui/format.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RequestSpec {
  method: Method;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

/** What --dry-run prints: the request exactly as it would be sent, with the key redacted. */
export interface DescribedRequest {
  method: Method;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export function requestUrl(baseUrl: string, spec: RequestSpec): URL {
  const url = new URL(spec.path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  // Keep a base path (e.g. a proxy prefix) in front of /v1.
  const base = new URL(baseUrl);
  if (base.pathname !== '/' && !url.pathname.startsWith(base.pathname))
    url.pathname = base.pathname.replace(/\/$/, '') + spec.path;
  for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

// The runtime that runs anchor: the npm package's Node, or the Bun inside the single executable
// (whose process.version is the Node version it imitates).
const RUNTIME = process.versions.bun ? `bun ${process.versions.bun}` : `node ${process.version}`;

export function requestHeaders(spec: RequestSpec, key: string): Record<string, string> {
  return {
    'anchor-api-key': key,
    Accept: 'application/json',
    'User-Agent': `anchor-cli/${__ANCHOR_VERSION__} (${RUNTIME}; ${process.platform})`,
    ...(spec.body === undefined ? {} : { 'Content-Type': 'application/json' }),
  };
}

/** The request as --dry-run shows it: nothing is sent. */
export function describeRequest(baseUrl: string, spec: RequestSpec): DescribedRequest {
  return {
    method: spec.method,
    url: requestUrl(baseUrl, spec).toString(),
    headers: requestHeaders(spec, REDACTED),
    body: spec.body ?? null,
  };
}

/** Redacts `secret` values in a JSON body for --debug traces. */
export function redactBody(text: string): string {
  return text.replace(/("secret"\s*:\s*)"[^"]*"/g, `$1"${REDACTED}"`);
}
