// What check_receiver and trigger_event answer: their output schemas, trigger_event's one report
// shape (a single event or a scenario: graded deliveries either way), and the text a model reads,
// which carries each failure's fix, since many clients hand the model only the text.
import { z } from 'zod';
import { CHAOS_KINDS, type ChaosKind } from '../core/scenarios.js';
import { chaosNotApplied, wrongAnswerCauses, type WrongAnswerCause } from '../core/chaos-causes.js';
import { at, isRecord, textAt } from './read.js';

export const receiverOutput = z.object({
  url: z.string(),
  passed: z.boolean().describe('Every required check passed (optional ones may have failed).'),
  framework: z.string().optional().describe("The receiver's framework, when its answers showed which."),
  checks: z.array(
    z.object({
      id: z.string(),
      required: z.boolean(),
      ok: z.boolean(),
      status: z.number().describe('The HTTP status the receiver answered; 0 when it did not answer.'),
      latency_ms: z.number(),
      detail: z.string(),
      fix: z.string().optional(),
      follows_from: z
        .string()
        .optional()
        .describe(
          'The check whose failure this one repeats (the same answer to a correct delivery): fix that one first.',
        ),
      caveat: z.string().optional(),
    }),
  ),
});

const graded = z.object({
  event_type: z.string(),
  event_id: z.string().nullable(),
  delivery_id: z.string(),
  injected: z.enum(CHAOS_KINDS).optional(),
  status: z.number().describe('The HTTP status the receiver answered; 0 when it did not answer.'),
  expected: z.enum(['2xx', 'not 2xx']),
  ok: z.boolean(),
  caveat: z.string().optional(),
  latency_ms: z.number().optional(),
  response_body: z.string().optional(),
});

export const triggerOutput = z.object({
  url: z.string(),
  passed: z.boolean().describe('Every answer was right.'),
  deliveries: z.array(graded),
});

type Graded = z.infer<typeof graded>;

/** The command's JSON (one answer, or a scenario's rows) as one graded report. */
export function triggerResult(out: unknown, args: Record<string, unknown>): z.infer<typeof triggerOutput> {
  const rows: Graded[] = Array.isArray(out)
    ? (out as Graded[])
    : [
        {
          event_type: textAt(out, 'event_type') ?? '',
          event_id: textAt(out, 'event_id') ?? null,
          delivery_id: textAt(out, 'delivery_id') ?? '',
          status: Number(at(out, 'status')),
          expected: '2xx',
          ok: Number(at(out, 'status')) >= 200 && Number(at(out, 'status')) < 300,
          latency_ms: Number(at(out, 'latency_ms')),
          response_body: textAt(out, 'response_body') ?? '',
        },
      ];
  const url = isRecord(out) ? (textAt(out, 'url') ?? String(args.url)) : String(args.url);
  return { url, passed: rows.every((r) => r.ok), deliveries: rows };
}

const CHAOS_FIX: Record<WrongAnswerCause, string> = {
  'every-signed-refused':
    'the receiver refused every correctly signed delivery, in order or not: its secret is not the one these are signed with (behind listen, the forwarding secret), or it verifies re-serialised JSON instead of the raw body; check_receiver tells which',
  plain:
    'the receiver refused a correct delivery: check its secret, and that it verifies the raw body (check_receiver says more)',
  duplicate:
    'Anchor delivers at least once: answer an envelope id already processed with a 2xx instead of failing, and do not act on it twice (deduplicate on the envelope id, not Anchor-Delivery-Id)',
  reorder: 'events can arrive out of order: accept them in any order',
  stale: 'refuse a delivery whose Anchor-Timestamp is more than a few minutes old (a possible replay)',
  'bad-signature': 'verify the Anchor-Signature HMAC and refuse the delivery when no v1= matches',
  crash:
    'the receiver crashed (5xx) on a delivery it had to refuse, and Anchor retries a 5xx: answer 401 or 400 instead',
};

export function summariseTrigger(out: unknown, args: Record<string, unknown>): string {
  const report = triggerResult(out, args);
  const wrong = report.deliveries.filter((r) => !r.ok);
  const acknowledged = report.deliveries.filter((r) => r.caveat).length;
  const chaos = (Array.isArray(args.chaos) ? args.chaos : []).filter((c): c is ChaosKind =>
    (CHAOS_KINDS as readonly unknown[]).includes(c),
  );
  const events = report.deliveries.filter((r) => r.expected === '2xx' && r.injected !== 'duplicate').length;
  const notes = chaosNotApplied(chaos, report.deliveries, events)
    .map((n) => ` ${n}.`)
    .join('');
  if (wrong.length === 0)
    return `all ${report.deliveries.length} answer(s) right${acknowledged ? `; ${acknowledged} duplicate(s) acknowledged with a 2xx, right only if the app did not act on them twice (it must deduplicate on the envelope id)` : ''}.${notes}`;
  const fixes = wrongAnswerCauses(report.deliveries).map((c) => CHAOS_FIX[c]);
  return `${wrong.length} of ${report.deliveries.length} answer(s) wrong: ${wrong
    .map((r) => `${r.injected ?? r.event_type} got ${r.status}, expected ${r.expected}`)
    .join('; ')}. To fix: ${fixes.join('; ')}.${notes}`;
}

export function summariseChecks(out: unknown): string {
  const checks = (Array.isArray(at(out, 'checks')) ? at(out, 'checks') : []) as Array<Record<string, unknown>>;
  const failed = checks.filter((c) => c.ok !== true);
  const required = failed.filter((c) => c.required === true);
  const head =
    failed.length === 0
      ? `passed: all ${checks.length} checks`
      : `${required.length ? 'failed' : 'passed'}: ${failed.length} of ${checks.length} checks failed (${required.length} required)`;
  const framework = textAt(out, 'framework');
  const fixes = failed.map((c) => `- ${String(c.id)}: ${String(c.fix ?? c.detail)}`).join('\n');
  return `${head}${framework ? `; the receiver looks like ${framework}` : ''}.${fixes ? `\nFixes:\n${fixes}` : ''}`;
}
