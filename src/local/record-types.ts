// What one recorded request is, and the record's ids: shared by the receiver, the writer and the readers.

/** What is kept of the app's answer to a forwarded request. */
export const FORWARD_RESPONSE_KEEP = 64 * 1024;
/**
 * The record's line format, written as `"v"` in every line. Lines without it are this format's
 * first version (readable as they are); a line with a higher one was written by a newer anchor
 * sharing the state folder, and is skipped and counted, never guessed at.
 */
export const RECORD_FORMAT = 2;

/** What is kept of the body of a request refused before its body was read. */
export const REFUSED_BODY_KEEP = 64 * 1024;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ForwardResult {
  url: string;
  /** The type pattern of the `listen --forward-to` route that chose `url` (none: the default). */
  route?: string;
  /** The app gave no complete answer within listen's deadline: listen answered Anchor 504. */
  timed_out?: true;
  status: number;
  latency_ms: number;
  response_body: string;
  error?: string;
  /**
   * Sent re-signed with the forwarding secret (`listen --register`): what the app received is the
   * body with that signature at Anchor's timestamp, not Anchor's own signature, which is recorded.
   */
  resigned?: true;
}

/** One request as recorded. */
export interface RecordedRequest {
  id: string;
  received_at: string;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  /** The exact body, base64. */
  body_b64: string;
  /** The body was longer than what was kept (a request refused before its body was read). */
  body_truncated?: boolean;
  /** For a refused request, `event_type`, `event_id` and `delivery_id` are what it claimed, unverified. */
  verdict: 'ok' | 'refused';
  /** What `listen` answered; for a forwarded request, the app's status once known (0 before). */
  status: number;
  reason?: string;
  diagnosis?: string;
  checks?: Check[];
  event_type?: string;
  event_id?: string;
  delivery_id?: string;
  duplicate?: boolean;
  backfilled?: boolean;
  forward?: ForwardResult;
  /** A replay: the record it sent again (its bytes are what the replay sent). */
  replay_of?: string;
}

let counter = 0;
/** Sortable and unique: time, then a counter, then the pid. */
export function newRecordId(now: number): string {
  counter = (counter + 1) % 46656;
  return `rec_${now.toString(36).padStart(9, '0')}${counter.toString(36).padStart(3, '0')}${(process.pid % 1296).toString(36).padStart(2, '0')}`;
}
