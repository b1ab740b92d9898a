/* eslint-disable @typescript-eslint/no-explicit-any -- test responses are checked against the OpenAPI schema instead */
// A tiny API caller for emulator tests: every /v1 response is checked against the OpenAPI document.
import { assertMatchesSpec } from './openapi.js';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export function apiClient(baseUrl: string, key: string | undefined) {
  return async function call<T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== undefined) headers['anchor-api-key'] = key;
    const res = await fetch(baseUrl + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as T) : (undefined as T);
    if (path.startsWith('/v1/')) assertMatchesSpec(method, path, res.status, parsed);
    return { status: res.status, body: parsed, headers: res.headers };
  };
}

export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met in ${timeoutMs}ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
