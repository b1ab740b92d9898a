// How the API's answers become results or the contract's typed errors: a 2xx body checked against
// its schema, any other status mapped to its error and hint once, and a failed connection told
// with what it means for a request that may have been received.
import { ApiError, AuthError, NotFoundError, ServerError, NetworkError, type CliError } from '../errors.js';
import type { HttpResponse, TransportError } from './transport.js';
import type { Validator } from './validators.generated.js';
import type { RequestSpec } from './request-description.js';

/** A 2xx answer's body, parsed and checked against the schema of its operation. */
export function parseResponse<T>(res: HttpResponse, validate: Validator, spec: RequestSpec): T {
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new ServerError(
      `the API answered ${res.status} to ${spec.method} ${spec.path}, but not with JSON${looksLikeHtml(res.body) ? ' (an HTML page: a proxy or gateway in the way?)' : ''}`,
      {
        status: res.status,
        hint: 'Check --api-url (or ANCHOR_API_URL) points at the Anchor API, and try again.',
      },
    );
  }
  if (!validate(json)) {
    const issue = validate.errors?.[0];
    const path = [
      ...(issue?.instancePath ? issue.instancePath.slice(1).split('/') : []),
      ...(issue?.params?.missingProperty ? [issue.params.missingProperty] : []),
    ];
    const what = issue?.params?.missingProperty ? 'missing' : (issue?.message ?? 'invalid');
    throw new ServerError(
      `the API's answer to ${spec.method} ${spec.path} has an unexpected shape (${path.join('.') || 'body'}: ${what})`,
      {
        status: res.status,
        hint: 'Check --api-url points at the Anchor API; if it does, this anchor version may be too old: upgrade it.',
      },
    );
  }
  return json as T;
}

function looksLikeHtml(body: Buffer): boolean {
  return /^\s*<(!doctype|html)/i.test(body.subarray(0, 64).toString('utf8'));
}

export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The API's own message: `message`, then `error` as a string, then `error.message`. */
export function apiMessage(res: HttpResponse): string | undefined {
  try {
    const body = JSON.parse(res.body.toString('utf8')) as { message?: unknown; error?: unknown };
    if (typeof body.message === 'string' && body.message) return body.message;
    if (typeof body.error === 'string' && body.error) return body.error;
    const nested = (body.error as { message?: unknown } | undefined)?.message;
    if (typeof nested === 'string' && nested) return nested;
  } catch {
    // Not JSON: fall back to the status text.
  }
  return undefined;
}

export function statusError(res: HttpResponse, spec: RequestSpec, retryAfterMs?: number): CliError {
  const message = apiMessage(res) ?? (looksLikeHtml(res.body) ? `an HTML error page` : res.statusText || 'no details');
  const opts = { status: res.status };
  const s = res.status;
  if (s === 400 || s === 422) return new ApiError(`the API refused the request (${s}): ${message}`, opts);
  if (s === 409) {
    return new ApiError(`the API refused the request (409): ${message}`, {
      ...opts,
      hint: 'A project can have at most 5 webhooks: delete one with `anchor webhooks delete <id>`, or reuse one with `anchor webhooks update`.',
    });
  }
  if (s === 401 || s === 403) {
    return new AuthError(`the API did not accept the API key (${s}): ${message}`, {
      ...opts,
      hint: 'Check the key with `anchor auth status`; log in again with `anchor auth login`, or set ANCHOR_API_KEY.',
    });
  }
  if (s === 404) {
    const what = spec.path.match(/\/v1\/webhooks\/([^/]+)/)?.[1];
    const text = apiMessage(res) ?? (what ? `webhook ${decodeURIComponent(what)} not found` : 'not found');
    return new NotFoundError(`${text} (404)`, {
      ...opts,
      hint: 'List your webhooks with `anchor webhooks list`; ids look like wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y.',
    });
  }
  if (s === 429) {
    const wait = retryAfterMs === undefined ? 'a moment' : `${Math.ceil(retryAfterMs / 1000)}s`;
    return new ServerError(`the API is rate limiting requests (429): ${message}`, {
      ...opts,
      hint: `Wait ${wait} and try again.`,
    });
  }
  const retriedNote =
    spec.method === 'POST' && s >= 500 ? ' It was not retried automatically, so nothing was created twice.' : '';
  return new ServerError(`the API failed (${s}): ${message}`, {
    ...opts,
    hint: `${s >= 500 ? 'This is a problem on the server side; try again in a little while.' : 'Unexpected status.'}${retriedNote}${spec.method === 'POST' && spec.path === '/v1/webhooks' ? ' Run `anchor webhooks list` first to see whether the webhook was created.' : ''}`,
  });
}

export function networkError(
  e: TransportError,
  url: URL,
  spec: RequestSpec,
  attempts: number,
  storedIn?: string,
): NetworkError {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  const hints: Record<string, string> = {
    refused: `Is the API at ${url.origin} running? For the emulator: \`anchor emulator\`, then set ANCHOR_API_URL.`,
    dns: 'Check the API URL and your network connection.',
    timeout: 'Raise the limit with --timeout <duration> (60s, 2m), or try again later.',
    tls: 'Check the API URL and your TLS setup (proxy certificates: NODE_EXTRA_CA_CERTS).',
    proxy: 'Check HTTPS_PROXY / HTTP_PROXY and NO_PROXY.',
    too_large: 'Check --api-url (or ANCHOR_API_URL) points at the Anchor API: none of its answers is that large.',
  };
  const unsure =
    spec.method === 'POST' && e.sent
      ? ' The request may have reached the API; it was not retried, so at most one was sent. Check with `anchor webhooks list`.'
      : '';
  // The URL an earlier login stored (the emulator's, often) is the likeliest thing to fix.
  const stored =
    storedIn !== undefined && ['refused', 'dns', 'tls', 'timeout'].includes(e.kind)
      ? ` The API URL ${url.origin} is stored in ${storedIn}: \`anchor config unset api-url\` goes back to Anchor's (or set ANCHOR_API_URL).`
      : '';
  return new NetworkError(`${e.message}${tries}`, {
    hint: `${hints[e.kind] ?? 'Check your network connection and try again.'}${stored}${unsure}`,
    cause: e,
  });
}
