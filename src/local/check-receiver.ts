// Sends the checks of core/receiver-checks.ts to a receiver, signed as Anchor signs (or, on
// purpose, not), grades each answer, and words each failure's fix for the receiver's framework.
import { randomBytes, randomUUID } from 'node:crypto';
import { buildEnvelope, type Envelope } from '../core/event-examples.js';
import { deliveryHeaders } from '../core/signature.js';
import { RECEIVER_CHECKS, type ReceiverCheckId } from '../core/receiver-checks.js';
import { recogniseFramework, type FrameworkId, type SeenAnswer } from '../core/receiver-frameworks.js';
import { CliError } from '../errors.js';
import { truncate } from '../ui/format.js';
import { followsFrom, isRefusal, signedEvidence, wordFixes, type SecretEvidence } from './check-receiver-causes.js';
import { probeReserialised } from './check-receiver-probes.js';
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
  /** The check whose failure this one repeats (the same answer to a correct delivery): fix that one first. */
  follows_from?: ReceiverCheckId;
  /** What a right answer cannot show from outside the app (a duplicate acknowledged, maybe acted on twice). */
  caveat?: string;
}

export interface CheckRun {
  results: CheckResult[];
  /** The receiver's framework, when one of its answers said which. */
  framework?: FrameworkId;
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
  /** Where the secret came from, for a fix that blames it ("the secret of --secret-file ./s"). */
  secretSource?: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  onResult?: (r: CheckResult) => void;
}

/** A 2xx to a duplicate says the app took it, not that it acted on it once: only the app knows. */
const DUPLICATE_CAVEAT =
  'a 2xx is right only if your app did not act on the event twice, which anchor cannot see from outside: deduplicate on the envelope id';

export async function checkReceiver(o: CheckOptions): Promise<CheckRun> {
  const projectId = randomUUID();
  const base = buildEnvelope({ type: 'task.completed', projectId, now: o.now() });
  const fresh = (type = 'task.completed') => buildEnvelope({ type, projectId, now: o.now() });
  const results: CheckResult[] = [];
  const seen: SeenAnswer[] = [];
  // Each check's answer, cut: which of Express's parsers answered a 413 is in its error page.
  const answers = new Map<ReceiverCheckId, string>();
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
      seen.push({ headers: a.headers, body: a.body });
      answers.set(check.id, a.body.slice(0, 8192));
      const said = a.body.trim() ? `: ${truncate(a.body.trim().replace(/\s+/g, ' '), 120)}` : '';
      detail = `${check.sends}; answered ${a.status}${is2xx(a.status) ? '' : said}`;
    } catch (e) {
      // Nothing reached the receiver at all: that is not a check failing, the URL is wrong.
      if (results.length === 0 && e instanceof CliError) throw e;
      detail = `${check.sends}; no answer (${(e as Error).message})`;
    }
    // A 5xx where a refusal was due is a crash, not a refusal: Anchor would retry it.
    const ok = status !== 0 && (check.expect === '2xx' ? is2xx(status) : isRefusal(status));
    const graded = { id: check.id, ok, status };
    const follows = ok ? undefined : followsFrom(graded, results);
    const result: CheckResult = {
      id: check.id,
      required: check.required,
      ok,
      status,
      latency_ms: latency,
      detail,
      ...(ok ? {} : { fix: check.fix }),
      ...(follows ? { follows_from: follows } : {}),
      ...(ok && check.id === 'duplicate_ack' ? { caveat: DUPLICATE_CAVEAT } : {}),
    };
    results.push(result);
    o.onResult?.(result);
  }
  // Every answer may name the framework (a 413 from Express's parser does): the fixes wait for all.
  const recognised = recogniseFramework(seen);
  let evidence: SecretEvidence = signedEvidence(results);
  // Every correctly signed delivery refused: another secret, or JSON re-serialised in a way none
  // of the checks' bodies survives (Python's json.dumps). Two more deliveries tell which.
  if (evidence.kind === 'every-signed-refused') {
    const probed = await probeReserialised({ url: o.url, secret: o.secret, envelope: fresh(), now: o.now, env: o.env });
    evidence = probed.accepted
      ? { kind: 'reserialised', form: probed.accepted }
      : probed.inconclusive
        ? { kind: 'unknown' }
        : { kind: 'every-signed-refused', forms: probed.refused };
  }
  wordFixes(results, answers, recognised, {
    path: o.url.pathname,
    evidence,
    secretSource: o.secretSource ?? 'the secret it was given',
  });
  return { results, ...(recognised ? { framework: recognised.id } : {}) };
}
