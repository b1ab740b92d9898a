// The Anchor webhooks API client: builds each request, retries only where it is safe, maps HTTP
// status to the contract's typed errors once, and checks every response against its schema (the zod schema of schemas.ts, compiled by `npm run generate`).
import type { GlobalOptions } from '../globals.js';
import { REDACTED } from '../ui/format.js';
import { ApiError, AuthError, NotFoundError, ServerError, NetworkError, UsageError, type CliError } from '../errors.js';
import { requireCredentials, resolveApiUrl, type CredentialsHost } from '../config/credentials.js';
import { isLoopbackHost, send, TransportError, type HttpResponse } from './transport.js';
// Generated from the zod schemas of schemas.ts (npm run generate): the same rules without loading
// zod, which would cost every command that talks to the API ~20 ms of start-up.
import * as validators from './validators.generated.js';
import type { Validator } from './validators.generated.js';
import type { CreateRequest, DeliveryList, UpdateRequest, WebhookPublic, WebhookWithSecret } from './schemas.js';

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

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After we wait for; a longer one fails at once with the wait in the hint. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 300,
  maxDelayMs: 4000,
  maxRetryAfterMs: 30_000,
};
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export interface ApiClientOptions {
  baseUrl: string;
  key: string;
  timeoutMs: number;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** What the client needs of its caller: the environment, the --debug trace, and redaction of the key. */
export interface ApiHost {
  readonly env: Record<string, string | undefined>;
  debug(line: string): void;
  addSecret(value: string | undefined): void;
}

/**
 * The API client every command uses: the resolved URL and key unless given (`auth login` checks a
 * key not stored yet), with the retry policy of the environment.
 */
export async function createApiClient(
  ctx: ApiHost & CredentialsHost & { readonly globals: Pick<GlobalOptions, 'timeout'> },
  given: { baseUrl?: string; key?: string } = {},
): Promise<ApiClient> {
  const url = given.baseUrl ?? (await resolveApiUrl(ctx)).url;
  const key = given.key ?? (await requireCredentials(ctx)).key;
  // ANCHOR_RETRY_BASE_MS scales the backoff (CI against a local server may want it short).
  const base = Number(ctx.env.ANCHOR_RETRY_BASE_MS);
  const retry =
    Number.isFinite(base) &&
    base >= 0 &&
    ctx.env.ANCHOR_RETRY_BASE_MS !== '' &&
    ctx.env.ANCHOR_RETRY_BASE_MS !== undefined
      ? { ...DEFAULT_RETRY, baseDelayMs: base, maxDelayMs: Math.max(base * 8, 1) }
      : DEFAULT_RETRY;
  return new ApiClient(ctx, { baseUrl: url, key, timeoutMs: ctx.globals.timeout * 1000, retry });
}

export class ApiClient {
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly ctx: ApiHost,
    private readonly options: ApiClientOptions,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    ctx.addSecret(options.key);
  }

  listWebhooks() {
    return this.request<{ webhooks: WebhookPublic[] }>({ method: 'GET', path: '/v1/webhooks' }, validators.webhookList);
  }
  getWebhook(id: string) {
    return this.request<WebhookPublic>(
      { method: 'GET', path: `/v1/webhooks/${encodeURIComponent(id)}` },
      validators.webhookPublic,
    );
  }
  createWebhook(body: CreateRequest) {
    return this.request<WebhookWithSecret>(
      { method: 'POST', path: '/v1/webhooks', body },
      validators.webhookWithSecret,
    );
  }
  updateWebhook(id: string, body: UpdateRequest) {
    return this.request<WebhookPublic>(
      { method: 'PATCH', path: `/v1/webhooks/${encodeURIComponent(id)}`, body },
      validators.webhookPublic,
    );
  }
  deleteWebhook(id: string) {
    return this.request<{ ok: boolean }>(
      { method: 'DELETE', path: `/v1/webhooks/${encodeURIComponent(id)}` },
      validators.webhookDelete,
    );
  }
  rotateSecret(id: string) {
    return this.request<WebhookWithSecret>(
      { method: 'POST', path: `/v1/webhooks/${encodeURIComponent(id)}/rotate-secret` },
      validators.webhookWithSecret,
    );
  }
  sendTestEvent(id: string, eventType: string) {
    return this.request<{ external_event_id: string; event_type: string }>(
      { method: 'POST', path: `/v1/webhooks/${encodeURIComponent(id)}/test`, body: { event_type: eventType } },
      validators.testEventResponse,
    );
  }
  listDeliveries(id: string, query: RequestSpec['query']) {
    return this.request<DeliveryList>(
      { method: 'GET', path: `/v1/webhooks/${encodeURIComponent(id)}/events`, query },
      validators.deliveryList,
    );
  }

  url(spec: RequestSpec): URL {
    const url = new URL(
      spec.path,
      this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`,
    );
    // Keep a base path (e.g. a proxy prefix) in front of /v1.
    const base = new URL(this.options.baseUrl);
    if (base.pathname !== '/' && !url.pathname.startsWith(base.pathname))
      url.pathname = base.pathname.replace(/\/$/, '') + spec.path;
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  private headers(spec: RequestSpec, key: string): Record<string, string> {
    return {
      'anchor-api-key': key,
      Accept: 'application/json',
      'User-Agent': `anchor-cli/${__ANCHOR_VERSION__} (node ${process.version}; ${process.platform})`,
      ...(spec.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    };
  }

  /** The request as --dry-run shows it: nothing is sent. */
  describe(spec: RequestSpec): DescribedRequest {
    return {
      method: spec.method,
      url: this.url(spec).toString(),
      headers: this.headers(spec, REDACTED),
      body: spec.body ?? null,
    };
  }

  async request<T>(spec: RequestSpec, validate: Validator): Promise<T> {
    const url = this.url(spec);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      throw new UsageError(`refusing to send the API key over plain http:// to ${url.host}`, {
        hint: 'Use an https:// API URL; plain http:// is allowed only for a loopback address such as the emulator.',
      });
    }
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const safeToRetryAfterSend = spec.method !== 'POST';

    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.retry.maxAttempts;
      this.ctx.debug(`→ ${spec.method} ${url} (attempt ${attempt})`);
      for (const [k, v] of Object.entries(this.headers(spec, REDACTED))) this.ctx.debug(`  ${k}: ${v}`);
      if (body) this.ctx.debug(`  ${redactBody(body)}`);
      const started = Date.now();
      let res: HttpResponse;
      try {
        res = await send({
          method: spec.method,
          url,
          headers: this.headers(spec, this.options.key),
          body,
          timeoutMs: this.options.timeoutMs,
          env: this.ctx.env,
        });
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        this.ctx.debug(`✗ ${spec.method} ${url}: ${e.message} (${e.kind}, ${e.sent ? 'sent' : 'not sent'})`);
        // A POST is retried only when the connection was refused, so it cannot have been received.
        const retryable =
          e.kind === 'refused' || (safeToRetryAfterSend && (e.kind === 'reset' || e.kind === 'timeout'));
        if (retryable && !last) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        throw networkError(e, url, spec, attempt);
      }
      this.ctx.debug(`← ${res.status} ${res.statusText} in ${Date.now() - started}ms`);
      for (const [k, v] of Object.entries(res.headers)) this.ctx.debug(`  ${k}: ${String(v)}`);
      if (res.body.length) this.ctx.debug(`  ${redactBody(res.body.toString('utf8'))}`);
      if (res.status >= 200 && res.status < 300) return this.parse<T>(res, validate, spec);

      const retryable = res.status === 429 || (safeToRetryAfterSend && RETRYABLE_STATUS.has(res.status));
      if (retryable && !last) {
        const retryAfter = parseRetryAfter(res.headers['retry-after'], Date.now());
        if (retryAfter !== undefined && retryAfter > this.retry.maxRetryAfterMs)
          throw statusError(res, spec, retryAfter);
        await this.sleep(retryAfter ?? this.backoff(attempt));
        continue;
      }
      throw statusError(res, spec, parseRetryAfter(res.headers['retry-after'], Date.now()));
    }
  }

  /** Exponential backoff with jitter: half fixed, half random, capped. */
  private backoff(attempt: number): number {
    const exp = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + (this.random() * exp) / 2);
  }

  private parse<T>(res: HttpResponse, validate: Validator, spec: RequestSpec): T {
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
}

function looksLikeHtml(body: Buffer): boolean {
  return /^\s*<(!doctype|html)/i.test(body.subarray(0, 64).toString('utf8'));
}

/** Redacts `secret` values in a JSON body for --debug traces. */
function redactBody(text: string): string {
  return text.replace(/("secret"\s*:\s*)"[^"]*"/g, `$1"${REDACTED}"`);
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

function statusError(res: HttpResponse, spec: RequestSpec, retryAfterMs?: number): CliError {
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

function networkError(e: TransportError, url: URL, spec: RequestSpec, attempts: number): NetworkError {
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
  return new NetworkError(`${e.message}${tries}`, {
    hint: `${hints[e.kind] ?? 'Check your network connection and try again.'}${unsure}`,
    cause: e,
  });
}
