// `events trigger --scenario` or `--chaos`: every delivery graded, a line each as it comes (for
// people), the rows as the result, and exit 6 when an answer was wrong.
import type { Context } from '../../../context.js';
import { CheckFailedError } from '../../../errors.js';
import { CHAOS_HELP, type ChaosKind } from '../../../core/scenarios.js';
import {
  chaosNotApplied,
  everySignedRefused,
  wrongAnswerCauses,
  type WrongAnswerCause,
} from '../../../core/chaos-causes.js';
import type { Envelope } from '../../../core/event-examples.js';
import { play, type PlayRow } from '../../../local/play.js';
import { escapeControl, style } from '../../../ui/format.js';
import { failing } from '../../handler.js';

/** One graded delivery, as --json prints it: the row without the answer's body and timing. */
export type PlayAnswer = Omit<PlayRow, 'latency_ms' | 'response_body'>;

export interface PlayRun {
  url: URL;
  secret: string;
  envelopes: Envelope[];
  chaos: readonly ChaosKind[];
  delayMs: number;
  scenarioName: string | undefined;
}

/** Every correct delivery refused: the secret or the raw body, and check-receiver tells which. */
function everySignedRefusedFix(rows: readonly PlayAnswer[], url: URL): string {
  const statuses = [...new Set(rows.filter((r) => r.expected === '2xx').map((r) => r.status))];
  const said = `Your endpoint refused every correctly signed delivery (${statuses.join('/')} to each, in order or not)`;
  const then = `then run \`anchor webhooks check-receiver ${url}\`, which tells the causes apart.`;
  // A 401/403 is a signature refused; another 4xx to everything is more often a body the route never gets raw.
  if (statuses.every((s) => s === 401 || s === 403))
    return `${said}: its secret is not the one these are signed with, or it checks the signature over JSON it parsed and serialised again instead of the raw body. Check which secret it reads (behind \`anchor webhooks listen\`, the forwarding secret: \`anchor webhooks listen --print-secret\`), ${then}`;
  return `${said}: it refuses them whatever they hold, most often because the route does not get the raw body (a JSON parser ran first), or because it holds another secret. Read the raw body first, check which secret it reads, ${then}`;
}

const FIX: Record<Exclude<WrongAnswerCause, 'every-signed-refused'>, string> = {
  plain:
    'Your endpoint refused a correct delivery: check its secret, and that it verifies the raw body (`anchor webhooks check-receiver` says more).',
  duplicate:
    'Anchor delivers at least once: answer an envelope id you have already processed with a 2xx instead of failing on it, and do not act on it twice (deduplicate on the envelope `id`, not Anchor-Delivery-Id, which is new on every attempt).',
  reorder: 'Events can arrive out of order: accept them in any order (store, then reconcile by created time or ids).',
  stale: 'Refuse a delivery whose Anchor-Timestamp is more than a few minutes old: it may be a replay.',
  'bad-signature': 'Verify the Anchor-Signature HMAC and refuse the delivery when no v1= matches.',
  // A refusal that came as a 5xx: the app threw where it should have answered.
  crash:
    'Your app crashed (5xx) on a delivery it had to refuse, and Anchor retries a 5xx: answer 401 (or 400) when a check fails instead of throwing; its log has the error.',
};

export async function runPlay(ctx: Context, o: PlayRun): Promise<PlayAnswer[]> {
  const s = style(ctx.colorStdout);
  // A scenario can take a while (--delay): people see each answer as it comes.
  const forPeople = !ctx.globals.json;
  if (forPeople)
    ctx.out(
      `${o.scenarioName ? `Scenario ${o.scenarioName}` : o.envelopes[0]!.type}: ${o.envelopes.length} event(s)${o.chaos.length ? `, chaos ${o.chaos.join(', ')}` : ''}, to ${o.url}\n`,
    );
  const width = Math.max(...o.envelopes.map((e) => String(e.type).length));
  const rows = await play({
    url: o.url,
    secret: o.secret,
    envelopes: o.envelopes,
    chaos: o.chaos,
    delayMs: o.delayMs,
    env: ctx.env,
    now: () => ctx.now(),
    onRow: (r) => {
      if (!forPeople) return;
      // An acknowledged duplicate is right only if the app did not act twice: not a plain ✓.
      const mark = r.ok ? (r.caveat ? s.yellow('?') : s.green('✓')) : s.red('✗');
      const status = r.ok ? String(r.status) : s.red(String(r.status));
      const what = r.injected
        ? `  ${s.yellow(r.injected)}: ${CHAOS_HELP[r.injected].replace(/ \(right answer.*\)$/, '')}`
        : '';
      const expect = r.ok
        ? r.caveat
          ? `  acknowledged: right only if your app did not act on it twice`
          : ''
        : r.expected === '2xx'
          ? '  expected a 2xx'
          : r.status >= 500
            ? '  expected a refusal (4xx): your app crashed instead, and Anchor retries a 5xx'
            : '  expected a refusal (4xx)';
      ctx.out(
        `  ${mark} ${status}  ${escapeControl(r.event_type).padEnd(width)}  ${escapeControl(r.event_id)}  ${r.latency_ms} ms${what}${expect}\n`,
      );
    },
  });
  const answers: PlayAnswer[] = rows.map((r) => ({
    event_type: r.event_type,
    event_id: r.event_id,
    delivery_id: r.delivery_id,
    ...(r.injected ? { injected: r.injected } : {}),
    status: r.status,
    expected: r.expected,
    ok: r.ok,
    ...(r.caveat ? { caveat: r.caveat } : {}),
  }));
  const wrong = answers.filter((r) => !r.ok);
  // Said in both modes, on stderr: --json's rows stay the contract, and a kind not sent is no row.
  for (const note of chaosNotApplied(o.chaos, answers, o.envelopes.length)) ctx.err(`${note}\n`);
  return failing(
    answers,
    wrong.length
      ? new CheckFailedError(
          `${wrong.length} of ${rows.length} answers were wrong: ${everySignedRefused(answers) ? 'every correctly signed delivery was refused, ' : ''}${wrong.map((r) => `${r.injected ?? r.event_type} got ${r.status}`).join(', ')}`,
          {
            hint: wrongAnswerCauses(answers)
              .map((c) => (c === 'every-signed-refused' ? everySignedRefusedFix(answers, o.url) : FIX[c]))
              .join(' '),
          },
        )
      : undefined,
  );
}

/** What follows the lines: a word when every answer was right (a wrong one fails the command). */
export function renderPlayTail(answers: PlayAnswer[], ctx: Context): void {
  if (!answers.every((r) => r.ok)) return;
  const s = style(ctx.colorStdout);
  const acknowledged = answers.filter((r) => r.caveat).length;
  if (acknowledged === 0) {
    ctx.out(`\n${s.green('✓')} All ${answers.length} answers were right.\n`);
    return;
  }
  ctx.out(
    `\n${s.green('✓')} All ${answers.length} answers were right, as far as anchor can see.\n` +
      `${s.yellow('?')} ${acknowledged} duplicate(s) acknowledged with a 2xx: right only if your app did not act on them twice, which only your app knows. It must deduplicate on the envelope \`id\` (not Anchor-Delivery-Id, new on every attempt).\n`,
  );
}
