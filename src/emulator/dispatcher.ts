// Real deliveries: POSTs each envelope to its webhook, signed afresh on every attempt, with a 10 s
// timeout and up to 6 attempts on the retry schedule; every attempt is recorded in the log row.
// Unless local targets are allowed, it connects only to public addresses, whatever a name resolves
// to: the URL rules judge names, and a public name may resolve to a private address.
import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { checkResolvedAddress } from '../core/url-rules.js';
import { deliveryHeaders } from '../core/signature.js';
import type { Envelope } from '../core/event-examples.js';

export const MAX_ATTEMPTS = 6;
export const DELIVERY_TIMEOUT_MS = 10_000;

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'dead';

export interface DeliveryRecord {
  id: string;
  external_event_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempt: number;
  response_status: number | null;
  error_message: string | null;
  scheduled_at: string;
  completed_at: string | null;
  payload: Record<string, unknown>;
}

export interface DeliveryTarget {
  id: string;
  url: string;
  /** The secrets that sign an attempt now: the current one, and the previous during its 24 h. */
  signingSecrets: () => string[];
}

export interface DispatcherOptions {
  retryDelaysMs: readonly number[];
  timeoutMs?: number;
  now: () => Date;
  log: (line: string) => void;
  /** Deliver to loopback and private addresses too (the emulator's --allow-local-targets). */
  allowLocalTargets?: boolean;
  /** The resolver (dns.lookup by default). */
  lookup?: LookupFunction;
}

/** A refusal to connect to an address the rules do not allow. */
class AddressNotAllowedError extends Error {
  readonly code = 'EADDRNOTALLOWED';
}

/** `lookup`, refusing any answer that holds a non-public address. */
function publicOnlyLookup(lookup: LookupFunction): LookupFunction {
  return ((
    hostname: string,
    options: dns.LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
  ) => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as dns.LookupAddress[];
      for (const a of list) {
        const v = checkResolvedAddress(a.address);
        if (!v.ok) {
          return callback(
            new AddressNotAllowedError(
              `${hostname} resolves to ${a.address}: ${v.message.replace(/^\S+ is /, 'it is ')}; not delivered (start the emulator with --allow-local-targets to deliver to local receivers)`,
            ),
            '',
            0,
          );
        }
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      return callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}

/** Which outcomes end a delivery without retries: a 4xx other than 408 and 429. */
function nonRetryable(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export class Dispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<http.ClientRequest>();
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  private closed = false;
  private pending = 0;
  private idleWaiters: Array<() => void> = [];

  private readonly lookup: LookupFunction | undefined;

  constructor(private readonly options: DispatcherOptions) {
    const base = options.lookup ?? (dns.lookup as unknown as LookupFunction);
    this.lookup = options.allowLocalTargets ? options.lookup : publicOnlyLookup(base);
  }

  /** Starts delivering `envelope` to `target` and returns its log row (updated as attempts finish). */
  deliver(target: DeliveryTarget, envelope: Envelope): DeliveryRecord {
    const record: DeliveryRecord = {
      id: randomUUID(),
      external_event_id: envelope.id,
      event_type: envelope.type,
      status: 'pending',
      attempt: 0,
      response_status: null,
      error_message: null,
      scheduled_at: this.options.now().toISOString(),
      completed_at: null,
      payload: envelope.data,
    };
    const body = JSON.stringify(envelope);
    this.pending++;
    setImmediate(() => void this.attempt(target, record, body));
    return record;
  }

  /** Resolves when no delivery is pending (used by tests and the benchmark). */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const req of this.inFlight) req.destroy();
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  private finish(record: DeliveryRecord, status: DeliveryStatus): void {
    record.status = status;
    record.completed_at = this.options.now().toISOString();
    this.pending--;
    if (this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  private async attempt(target: DeliveryTarget, record: DeliveryRecord, body: string): Promise<void> {
    if (this.closed) return;
    const n = record.attempt + 1;
    const outcome = await this.post(target, record, body);
    if (this.closed) return;
    record.attempt = n;
    record.response_status = outcome.status ?? null;
    record.error_message = outcome.error ?? null;
    const where = `${record.event_type} ${record.external_event_id} → ${target.url}`;
    if (outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300) {
      this.finish(record, 'succeeded');
      this.options.log(`delivered ${where}: ${outcome.status} (attempt ${n})`);
      return;
    }
    if (outcome.status !== undefined && nonRetryable(outcome.status)) {
      this.finish(record, 'failed');
      this.options.log(`failed ${where}: ${outcome.status}, not retried (attempt ${n})`);
      return;
    }
    if (n >= MAX_ATTEMPTS) {
      this.finish(record, 'dead');
      this.options.log(`dead ${where}: ${record.error_message} (after ${n} attempts)`);
      return;
    }
    const delays = this.options.retryDelaysMs;
    const delay = delays[Math.min(n - 1, delays.length - 1)] ?? 0;
    this.options.log(`retrying ${where} in ${delay}ms: ${record.error_message} (attempt ${n})`);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(target, record, body);
    }, delay);
    this.timers.add(timer);
  }

  private post(
    target: DeliveryTarget,
    record: DeliveryRecord,
    body: string,
  ): Promise<{ status?: number; error?: string }> {
    const timeoutMs = this.options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(target.url);
      } catch {
        resolve({ error: 'invalid URL' });
        return;
      }
      const headers = deliveryHeaders({
        secrets: target.signingSecrets(),
        timestamp: Math.floor(this.options.now().getTime() / 1000),
        body,
        eventType: record.event_type,
        deliveryId: record.id,
      });
      const lib = url.protocol === 'https:' ? https : http;
      const agent = this.agents[url.protocol === 'https:' ? 'https:' : 'http:'];
      let settled = false;
      const done = (r: { status?: number; error?: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(req);
        resolve(r);
      };
      // A literal address is never looked up: judge it here.
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      if (!this.options.allowLocalTargets && isIP(literal)) {
        const v = checkResolvedAddress(literal);
        if (!v.ok) {
          resolve({
            error: `${v.message}; not delivered (start the emulator with --allow-local-targets to deliver to local receivers)`,
          });
          return;
        }
      }
      const req = lib.request(url, {
        method: 'POST',
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        agent,
        ...(this.lookup ? { lookup: this.lookup } : {}),
      });
      this.inFlight.add(req);
      const timer = setTimeout(() => {
        done({ error: `timed out after ${timeoutMs / 1000}s without a response` });
        req.destroy();
      }, timeoutMs);
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        res.on('end', () =>
          done(
            status >= 200 && status < 300
              ? { status }
              : { status, error: `receiver answered ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}` },
          ),
        );
        res.on('error', () => done({ status, error: `receiver answered ${status}, then the connection broke` }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => done({ error: networkMessage(e) }));
      req.end(body);
    });
  }
}

function networkMessage(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the receiver';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EADDRNOTALLOWED':
      return e.message;
    default:
      return e.code ? `${e.code}: ${e.message}` : e.message;
  }
}
