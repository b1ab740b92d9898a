// `anchor events trigger <type> --forward-to <url>`: signs an example (or given) event exactly as
// Anchor does and POSTs it to a local URL; shows status, latency and the response body.
import { randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { CheckFailedError, UsageError } from '../../errors.js';
import { buildEnvelope } from '../../core/event-examples.js';
import { deliveryHeaders } from '../../core/signature.js';
import { checkStdinUse, readPayload, readSecret } from '../../local/inputs.js';
import { deliver, is2xx } from '../../local/deliver.js';
import { parseAssignment, setPath } from '../../local/set-path.js';
import { play } from '../../local/play.js';
import { CHAOS_HELP, scenario as findScenario, type ChaosKind } from '../../core/scenarios.js';
import { buildScenario } from '../../core/scenario-envelopes.js';
import type { Envelope } from '../../core/event-examples.js';
import { escapeControl, style, truncate } from '../../ui/format.js';
import { requireEventType } from '../flags.js';
import type { triggerCommand } from './events.decl.js';

/** A payload of your own is sent as given; what Anchor would never send is pointed out. */
function warnAboutPayload(ctx: Context, payload: Buffer, type: string): void {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    ctx.err(`Warning: the payload is not JSON; Anchor always sends a JSON envelope. It is sent as given.\n`);
    return;
  }
  const given =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as { type?: unknown }).type
      : undefined;
  if (given !== type) {
    ctx.err(
      `Warning: the payload's "type" is ${given === undefined ? 'missing' : JSON.stringify(given)}, but it is sent as ${type} (Anchor-Event: ${type}). It is sent as given.\n`,
    );
  }
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const o = input.flags<typeof triggerCommand>();
  const usage =
    'Usage: anchor events trigger <type> --forward-to <url>, or --scenario <name>; see `anchor events list` and `anchor events scenarios`.';
  if (o.scenario !== undefined && input.args[0] !== undefined)
    throw new UsageError(
      `give an event type or --scenario, not both (got ${input.args[0]} and --scenario ${o.scenario})`,
    );
  const type = o.scenario === undefined ? requireEventType(input.args[0], 'event type', usage) : undefined;
  if (!o.forwardTo)
    throw new UsageError('missing --forward-to', {
      hint: 'For example: --forward-to http://localhost:3000/webhooks/anchor',
    });
  const url = o.forwardTo;
  const assignments = o.set.map((raw) => {
    const a = parseAssignment(raw);
    if (typeof a === 'string') throw new UsageError(`invalid --set "${raw}": ${a}`);
    return { raw, a };
  });
  if (o.chaos.includes('reorder') && o.scenario === undefined)
    throw new UsageError('--chaos reorder needs a --scenario: a single event has no order');
  checkStdinUse(o.secretFile, o.payload);
  const secret = await readSecret(ctx, o.secretFile);
  const given = await readPayload(ctx, o.payload, false);
  const now = ctx.now();
  const projectId = randomUUID();

  // What is sent: the scenario's envelopes, the example, or the payload as given.
  let envelopes: Envelope[] | undefined;
  let raw: Buffer | undefined;
  if (o.scenario !== undefined) envelopes = buildScenario(findScenario(o.scenario)!, { now, projectId });
  else if (!given) envelopes = [buildEnvelope({ type: type!, projectId, now })];
  else if (assignments.length || o.chaos.length) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(given.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new UsageError(
        `${assignments.length ? '--set' : '--chaos'} needs a JSON object body, and the payload is not one`,
        { hint: 'Without --payload the example envelope of the type is sent.' },
      );
    envelopes = [parsed as Envelope];
  } else raw = given;
  for (const env of envelopes ?? [])
    for (const { raw: flag, a } of assignments) {
      const problem = setPath(env as unknown as Record<string, unknown>, a);
      if (problem) throw new UsageError(`invalid --set "${flag}": ${problem}`);
    }
  if (given) warnAboutPayload(ctx, envelopes ? Buffer.from(JSON.stringify(envelopes[0])) : given, type!);
  else if (type !== undefined && envelopes![0]!.type !== type)
    ctx.err(
      `Warning: --set changed "type" to ${JSON.stringify(envelopes![0]!.type)}; it is sent as ${type} (Anchor-Event).\n`,
    );

  if (o.scenario !== undefined || o.chaos.length > 0) {
    await runPlay(ctx, url, secret, envelopes!, o.chaos, o.delay, o.scenario);
    return;
  }

  const envelope = envelopes?.[0];
  const body = raw ?? Buffer.from(JSON.stringify(envelope));
  const deliveryId = randomUUID();
  const headers = deliveryHeaders({
    secrets: [secret],
    timestamp: Math.floor(now.getTime() / 1000),
    body,
    eventType: type!,
    deliveryId,
  });
  const res = await deliver(url, headers, body, ctx.env);
  const ok = is2xx(res.status);
  if (ctx.globals.json) {
    ctx.outJson({
      url: url.toString(),
      event_type: type,
      event_id: envelope?.id ?? null,
      delivery_id: deliveryId,
      status: res.status,
      latency_ms: res.latencyMs,
      response_body: res.body,
    });
  } else {
    const s = style(ctx.colorStdout);
    ctx.out(
      `${ok ? s.green(String(res.status)) : s.red(String(res.status))} ${escapeControl(res.statusText)} in ${res.latencyMs} ms from ${url}\n`,
    );
    ctx.out(
      `  sent ${type}${envelope ? ` ${escapeControl(String(envelope.id))}` : ' (your payload)'}, Anchor-Delivery-Id ${deliveryId}\n`,
    );
    // Your app's answer, as a block: its lines kept, every other control character escaped.
    if (res.body) ctx.out(`\n${truncate(res.body, 2000).split('\n').map(escapeControl).join('\n')}\n`);
  }
  if (!ok) {
    throw new CheckFailedError(`your endpoint answered ${res.status}`, {
      hint:
        res.status === 400 || res.status === 401
          ? 'A 400/401 usually means the signature check failed: run `anchor webhooks verify` on what it received.'
          : 'Anchor retries anything but a 2xx (except most 4xx).',
    });
  }
}

/** A scenario or a chaos run: every delivery graded, a line each as it comes, exit 6 on a wrong answer. */
async function runPlay(
  ctx: Context,
  url: URL,
  secret: string,
  envelopes: Envelope[],
  chaos: readonly ChaosKind[],
  delayMs: number,
  scenarioName: string | undefined,
): Promise<void> {
  const s = style(ctx.colorStdout);
  if (!ctx.globals.json)
    ctx.out(
      `${scenarioName ? `Scenario ${scenarioName}` : envelopes[0]!.type}: ${envelopes.length} event(s)${chaos.length ? `, chaos ${chaos.join(', ')}` : ''}, to ${url}\n`,
    );
  const width = Math.max(...envelopes.map((e) => String(e.type).length));
  const rows = await play({
    url,
    secret,
    envelopes,
    chaos,
    delayMs,
    env: ctx.env,
    now: () => ctx.now(),
    onRow: (r) => {
      if (ctx.globals.json) return;
      const mark = r.ok ? s.green('✓') : s.red('✗');
      const status = r.ok ? String(r.status) : s.red(String(r.status));
      const what = r.injected
        ? `  ${s.yellow(r.injected)}: ${CHAOS_HELP[r.injected].replace(/ \(right answer.*\)$/, '')}`
        : '';
      const expect = r.ok ? '' : `  expected ${r.expected === '2xx' ? 'a 2xx' : 'a refusal (not 2xx)'}`;
      ctx.out(
        `  ${mark} ${status}  ${escapeControl(r.event_type).padEnd(width)}  ${escapeControl(r.event_id)}  ${r.latency_ms} ms${what}${expect}\n`,
      );
    },
  });
  const wrong = rows.filter((r) => !r.ok);
  if (ctx.globals.json) {
    ctx.outJson(
      rows.map((r) => ({
        event_type: r.event_type,
        event_id: r.event_id,
        delivery_id: r.delivery_id,
        ...(r.injected ? { injected: r.injected } : {}),
        status: r.status,
        expected: r.expected,
        ok: r.ok,
      })),
    );
  } else if (wrong.length === 0) ctx.out(`\n${s.green('✓')} All ${rows.length} answers were right.\n`);
  if (wrong.length) {
    const fixes = new Set(wrong.map((r) => FIX[r.injected ?? 'plain']));
    throw new CheckFailedError(
      `${wrong.length} of ${rows.length} answers were wrong: ${wrong.map((r) => `${r.injected ?? r.event_type} got ${r.status}`).join(', ')}`,
      { hint: [...fixes].join(' ') },
    );
  }
}

const FIX: Record<string, string> = {
  plain:
    'Your endpoint refused a correct delivery: check its secret, and that it verifies the raw body (`anchor webhooks check-receiver` says more).',
  duplicate:
    'Anchor delivers at least once: acknowledge an event id you have already processed with a 2xx instead of failing on it.',
  reorder: 'Events can arrive out of order: accept them in any order (store, then reconcile by created time or ids).',
  stale: 'Refuse a delivery whose Anchor-Timestamp is more than a few minutes old: it may be a replay.',
  'bad-signature': 'Verify the Anchor-Signature HMAC and refuse the delivery when no v1= matches.',
};
