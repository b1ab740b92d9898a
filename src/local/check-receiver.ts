// Sends the checks of core/receiver-checks.ts to a receiver, signed as Anchor signs (or, on
// purpose, not), and grades each answer.
import { randomBytes, randomUUID } from 'node:crypto';
import { buildEnvelope, type Envelope } from '../core/event-examples.js';
import { deliveryHeaders } from '../core/signature.js';
import { RECEIVER_CHECKS, type ReceiverCheckId } from '../core/receiver-checks.js';
import { CliError } from '../errors.js';
import { truncate } from '../ui/format.js';
import { deliver, is2xx } from './deliver.js';

export interface CheckResult {
  id: ReceiverCheckId;
  required: boolean;
  ok: boolean;
  /** 0 when there was no answer. */
  status: number;
  latency_ms: number;
  detail: string;
  fix?: string;
}

/** A type Anchor does not send (yet): a receiver must still acknowledge it. */
export const UNKNOWN_EVENT_TYPE = 'session.paused';
const LARGE_BODY_BYTES = 256 * 1024;
const STALE_SECONDS = 600;

interface Request {
  headers: Record<string, string>;
  body: Buffer;
}

/** The JSON of an envelope with legal but unusual formatting: keys reordered, odd spacing, \u escapes. */
export function unusualJson(e: Envelope): string {
  const escapeAll = (s: string) =>
    `"${[...s]
      .map((ch) => {
        const code = ch.codePointAt(0)!;
        if (code > 0x7e || ch === 't')
          return ch.length === 2
            ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}\\u${ch.charCodeAt(1).toString(16).padStart(4, '0')}`
            : `\\u${code.toString(16).padStart(4, '0')}`;
        return JSON.stringify(ch).slice(1, -1);
      })
      .join('')}"`;
  return [
    '{',
    `  "data" :  ${JSON.stringify(e.data, null, 3).replace(/\n/g, '\n  ')} ,`,
    `\t"text":${escapeAll(e.text)},`,
    `  "type" : ${escapeAll(e.type)},  "id":"${e.id}" ,`,
    `  "project_id" : "${e.project_id}",`,
    `  "created":   "${e.created}"`,
    '}',
    '',
  ].join('\n');
}

function build(
  id: ReceiverCheckId,
  secret: string,
  now: number,
  base: Envelope,
  fresh: (type?: string) => Envelope,
): Request {
  const signed = (envelope: Envelope | string, opts: { t?: number; secrets?: string[] } = {}): Request => {
    const body = Buffer.from(typeof envelope === 'string' ? envelope : JSON.stringify(envelope));
    const type = typeof envelope === 'string' ? base.type : envelope.type;
    const t = opts.t ?? now;
    const headers = deliveryHeaders({
      secrets: opts.secrets ?? [secret],
      timestamp: t,
      body,
      eventType: type,
      deliveryId: randomUUID(),
    });
    return { headers, body };
  };
  const wrongSecret = () => randomBytes(32).toString('hex');
  switch (id) {
    case 'accepts_valid':
      return signed(base);
    case 'raw_body': {
      const e = fresh();
      return signed(unusualJson(e));
    }
    case 'rejects_bad_signature':
      return signed(fresh(), { secrets: [wrongSecret()] });
    case 'rejects_stale':
      return signed(fresh(), { t: now - STALE_SECONDS });
    case 'rejects_missing_headers': {
      const body = Buffer.from(JSON.stringify(fresh()));
      return { headers: { 'User-Agent': 'Anchor-Webhooks/1.0', 'Content-Type': 'application/json' }, body };
    }
    case 'rotation':
      return signed(fresh(), { secrets: [wrongSecret(), secret] });
    case 'rejects_timestamp_mismatch': {
      const r = signed(fresh());
      // Correctly signed for t=now, but the header says another time.
      return { ...r, headers: { ...r.headers, 'Anchor-Timestamp': String(now - 30) } };
    }
    case 'duplicate_ack':
      return signed(base);
    case 'unknown_event_type':
      return signed(fresh(UNKNOWN_EVENT_TYPE));
    case 'large_body': {
      const e = fresh();
      const size = Buffer.byteLength(JSON.stringify(e));
      e.data = { ...e.data, padding: 'x'.repeat(Math.max(0, LARGE_BODY_BYTES - size - 20)) };
      return signed(e);
    }
  }
}

export interface CheckOptions {
  url: URL;
  secret: string;
  only?: readonly ReceiverCheckId[];
  env: Record<string, string | undefined>;
  now: () => Date;
  onResult?: (r: CheckResult) => void;
}

export async function checkReceiver(o: CheckOptions): Promise<CheckResult[]> {
  const projectId = randomUUID();
  const base = buildEnvelope({ type: 'task.completed', projectId, now: o.now() });
  const fresh = (type = 'task.completed') => buildEnvelope({ type, projectId, now: o.now() });
  const results: CheckResult[] = [];
  for (const check of RECEIVER_CHECKS) {
    if (o.only && o.only.length && !o.only.includes(check.id)) continue;
    const req = build(check.id, o.secret, Math.floor(o.now().getTime() / 1000), base, fresh);
    let status = 0;
    let latency = 0;
    let detail: string;
    try {
      const a = await deliver(o.url, req.headers, req.body, o.env);
      status = a.status;
      latency = a.latencyMs;
      const said = a.body.trim() ? `: ${truncate(a.body.trim().replace(/\s+/g, ' '), 120)}` : '';
      detail = `${check.sends}; answered ${a.status}${is2xx(a.status) ? '' : said}`;
    } catch (e) {
      // Nothing reached the receiver at all: that is not a check failing, the URL is wrong.
      if (results.length === 0 && e instanceof CliError) throw e;
      detail = `${check.sends}; no answer (${(e as Error).message})`;
    }
    const ok = status !== 0 && (check.expect === '2xx' ? is2xx(status) : !is2xx(status));
    const result: CheckResult = {
      id: check.id,
      required: check.required,
      ok,
      status,
      latency_ms: latency,
      detail,
      ...(ok ? {} : { fix: check.fix }),
    };
    results.push(result);
    o.onResult?.(result);
  }
  return results;
}
