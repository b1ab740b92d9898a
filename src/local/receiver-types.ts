// What `listen`'s receiver is given and gives back: its options and limits, the events and
// refusals it reports, and the per-request exchange its modules share.
import type http from 'node:http';
import { DEFAULT_BUFFERED_BODY_BYTES, DEFAULT_BUFFERED_BODY_BYTES_PER_ADDRESS } from './body-budget.js';
import type { ForwardResult, RecordedRequest } from './record-types.js';
import type { Pending } from './record-line.js';
import type { ForwardRoute } from './forward-routes.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ReceivedEvent {
  received_at: string;
  id: string;
  type: string;
  text: string;
  delivery_id: string | null;
  /** Its line in the delivery record (none with --no-record). */
  record_id?: string;
  /** With --no-dedupe: an envelope already processed, forwarded again. */
  duplicate?: true;
  forward?: ForwardSummary & ({ status: number; latency_ms: number; truncated?: true } | { error: string });
  /** Routes are given and none matches its type: verified and acknowledged, not forwarded. */
  not_forwarded?: string;
}

/** Where an event was forwarded and how long the app took, as its line and JSON say. */
export interface ForwardSummary {
  url: string;
  /** The type pattern of the route that chose `url`; none for the default route. */
  route?: string;
  /** The app took longer than Anchor waits, or gave no answer within --forward-timeout. */
  slow?: true;
  /** The relay ran out of time (listen answered Anchor 504). */
  timed_out?: true;
  /** The start of the app's answer (what --print-response shows). */
  response_body?: string;
}

export interface Rejection {
  status: number;
  reason: string;
  diagnosis?: string;
}

export interface ReceiverLimits {
  /** A connection must send its request headers within this, and its first byte within this of opening. */
  headersTimeoutMs: number;
  /** A request must arrive in full within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; past it the oldest idle one is closed. Default: from the fd limit. */
  maxConnections: number;
  /** Body bytes held, in all, before their HMAC is known; a request past it is answered 503. */
  maxBufferedBodyBytes: number;
  /** The same for one peer address; loopback peers (a tunnel, so anyone) have only the total. */
  maxBufferedBodyBytesPerAddress: number;
}

export const DEFAULT_LIMITS: Omit<ReceiverLimits, 'maxConnections'> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxBufferedBodyBytes: DEFAULT_BUFFERED_BODY_BYTES,
  maxBufferedBodyBytesPerAddress: DEFAULT_BUFFERED_BODY_BYTES_PER_ADDRESS,
};

export interface RecordSink {
  request: (r: RecordedRequest) => void;
  forward: (id: string, f: ForwardResult) => void;
}

export interface ReceiverOptions {
  port: number;
  host: string;
  path: string;
  /** The secrets a delivery may be signed with (current, and previous during a rotation). */
  secrets: () => readonly string[];
  events?: ReadonlySet<string>;
  /** Where verified events go, by type (forward-routes.ts); none: printed and acknowledged only. */
  routes?: readonly ForwardRoute[];
  /** How long the app may take to answer a forwarded event (default: Anchor's own 10 s). */
  forwardTimeoutMs?: number;
  /**
   * The secret forwarded deliveries are re-signed with (the forwarding secret, under --register);
   * without it they go with Anchor's own signature headers.
   */
  forwardSecret?: string;
  /** False with --no-dedupe: a duplicate envelope is handled again, marked, instead of dropped. */
  dedupe?: boolean;
  now: () => Date;
  /** A verified event, and the exact body it came in (for --until's matching). */
  onEvent: (e: ReceivedEvent, body: Buffer) => void;
  onReject: (r: Rejection) => void;
  /** A verified envelope already processed: acknowledged with 200, not printed or forwarded again. */
  onDuplicate?: (id: string) => void;
  /** A delivery that verified only against a later v1= (the previous secret, during a rotation). */
  onPreviousSecret?: (id: string) => void;
  limits?: Partial<ReceiverLimits>;
  /** Where each request goes as it is decided, before it is answered (the delivery record). */
  record?: RecordSink;
  /**
   * The health path's probe: a GET of HEALTH_PATH carrying this run's token is answered 200 (not
   * recorded: it is the owner's own request) and reported; any other is refused as an unknown path.
   */
  health?: { token: string; onProbe?: () => void };
}

export interface RunningReceiver {
  url: string;
  port: number;
  /** Body bytes held now before their HMAC is known (0 when no body is arriving). */
  bufferedBodyBytes: () => number;
  close: () => Promise<void>;
}

/** One request being handled, and the ways it can be answered. */
export interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** What the record will say of it, gathered as it is handled. */
  pending: Pending;
  /** Writes its record line (once), then answers with JSON. */
  answer: (status: number, body: unknown, close?: boolean) => void;
  /** Reports the refusal, then answers `{ error: reason }`. */
  reject: (status: number, reason: string, diagnosis?: string, close?: boolean) => void;
  /** Writes its record line now, if not yet written (status 0: before the app has answered). */
  record: (status: number) => void;
}
