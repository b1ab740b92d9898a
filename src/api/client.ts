// The Anchor webhooks API client: its calls, one per operation, and the sending of each request:
// retried only where it is safe, traced under --debug with the key redacted. What a request is
// (request-description.ts) and what its answer becomes (responses.ts: the schema of schemas.ts,
// compiled by `npm run generate`, and the contract's typed errors) live beside it.
import type { GlobalOptions } from '../globals.js';
import { REDACTED } from '../ui/format.js';
import { UsageError } from '../errors.js';
import { requireCredentials, resolveApiUrl, type CredentialsHost } from '../config/credentials.js';
import { isLoopbackHost, send, TransportError, type HttpResponse } from './transport.js';
// Generated from the zod schemas of schemas.ts (npm run generate): the same rules without loading
// zod, which would cost every command that talks to the API ~20 ms of start-up.
import * as validators from './validators.generated.js';
import type { Validator } from './validators.generated.js';
import type { CreateRequest, DeliveryList, UpdateRequest, WebhookPublic, WebhookWithSecret } from './schemas.js';
import {
  describeRequest,
  redactBody,
  requestHeaders,
  requestUrl,
  type DescribedRequest,
  type RequestSpec,
} from './request-description.js';
import { networkError, parseResponse, parseRetryAfter, statusError } from './responses.js';

export type { DescribedRequest, Method, RequestSpec } from './request-description.js';
export { apiMessage, parseRetryAfter } from './responses.js';

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
  /** The config file the base URL was read from, when it came from one (not a flag or variable). */
  storedIn?: string;
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
  const { url, source } = given.baseUrl ? { url: given.baseUrl, source: 'given' } : await resolveApiUrl(ctx);
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
  // A URL from the config file (the only source that is a path) is one an earlier `auth login`
  // or `config set` stored, maybe against the emulator: a failure to reach it says how to drop it.
  const storedIn = /[/\\]/.test(source) ? source : undefined;
  return new ApiClient(ctx, { baseUrl: url, key, timeoutMs: ctx.globals.timeout * 1000, retry, storedIn });
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
    return requestUrl(this.options.baseUrl, spec);
  }

  /** The request as --dry-run shows it: nothing is sent. */
  describe(spec: RequestSpec): DescribedRequest {
    return describeRequest(this.options.baseUrl, spec);
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
      for (const [k, v] of Object.entries(requestHeaders(spec, REDACTED))) this.ctx.debug(`  ${k}: ${v}`);
      if (body) this.ctx.debug(`  ${redactBody(body)}`);
      const started = Date.now();
      let res: HttpResponse;
      try {
        res = await send({
          method: spec.method,
          url,
          headers: requestHeaders(spec, this.options.key),
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
        throw networkError(e, url, spec, attempt, this.options.storedIn);
      }
      this.ctx.debug(`← ${res.status} ${res.statusText} in ${Date.now() - started}ms`);
      for (const [k, v] of Object.entries(res.headers)) this.ctx.debug(`  ${k}: ${String(v)}`);
      if (res.body.length) this.ctx.debug(`  ${redactBody(res.body.toString('utf8'))}`);
      if (res.status >= 200 && res.status < 300) return parseResponse<T>(res, validate, spec);

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
}
