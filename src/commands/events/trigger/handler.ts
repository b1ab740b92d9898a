// `anchor events trigger <type> --forward-to <url>`: signs an example (or given) event exactly as
// Anchor does and POSTs it to a local URL; shows status, latency and the response body. With
// --scenario or --chaos it plays several deliveries and grades the answers (play.ts).
import { randomUUID } from 'node:crypto';
import type { Context } from '../../../context.js';
import { CheckFailedError, UsageError } from '../../../errors.js';
import { deliveryHeaders } from '../../../core/signature.js';
import { checkStdinUse, readPayload } from '../../../local/inputs.js';
import { readLocalSecret } from '../../../local/local-secret.js';
import { deliver, is2xx } from '../../../local/deliver.js';
import { escapeControl, style, truncate } from '../../../ui/format.js';
import { failing, handler } from '../../handler.js';
import { viewOf, withView, type WithView } from '../../result-view.js';
import { requireEventType } from '../../flags.js';
import { bodyToSend, parseSets } from './body.js';
import { renderPlayTail, runPlay, type PlayAnswer } from './play.js';
import { triggerCommand } from './decl.js';

/** One delivery's answer, as --json prints it. */
interface Answer {
  url: string;
  event_type: string;
  event_id: unknown;
  delivery_id: string;
  status: number;
  latency_ms: number;
  response_body: string;
}
/** With what people are told besides: the status line's text, and the id of what was sent. */
export type TriggerAnswer = WithView<Answer, { statusText: string; envelopeId: string | undefined }>;

function renderAnswer(answer: TriggerAnswer, ctx: Context): void {
  const { statusText, envelopeId } = viewOf(answer);
  const s = style(ctx.colorStdout);
  const status = String(answer.status);
  ctx.out(
    `${is2xx(answer.status) ? s.green(status) : s.red(status)} ${escapeControl(statusText)} in ${answer.latency_ms} ms from ${answer.url}\n`,
  );
  ctx.out(
    `  sent ${answer.event_type}${envelopeId !== undefined ? ` ${escapeControl(envelopeId)}` : ' (your payload)'}, Anchor-Delivery-Id ${answer.delivery_id}\n`,
  );
  // Your app's answer, as a block: its lines kept, every other control character escaped.
  if (answer.response_body)
    ctx.out(`\n${truncate(answer.response_body, 2000).split('\n').map(escapeControl).join('\n')}\n`);
}

export default handler(
  triggerCommand,
  async (flags, [given], ctx): Promise<TriggerAnswer | PlayAnswer[]> => {
    const usage =
      'Usage: anchor events trigger <type> --forward-to <url>, or --scenario <name>; see `anchor events list` and `anchor events scenarios`.';
    if (flags.scenario !== undefined && given !== undefined)
      throw new UsageError(
        `give an event type or --scenario, not both (got ${given} and --scenario ${flags.scenario})`,
      );
    const type = flags.scenario === undefined ? requireEventType(given, 'event type', usage) : undefined;
    if (!flags.forwardTo)
      throw new UsageError('missing --forward-to', {
        hint: 'For example: --forward-to http://localhost:3000/webhooks/anchor',
      });
    const url = flags.forwardTo;
    const assignments = parseSets(flags.set);
    if (flags.chaos.includes('reorder') && flags.scenario === undefined)
      throw new UsageError('--chaos reorder needs a --scenario: a single event has no order');
    checkStdinUse(flags.secretFile, flags.payload);
    const { secret } = await readLocalSecret(ctx, flags.secretFile, 'events trigger');
    const payload = await readPayload(ctx, flags.payload, false);
    const now = ctx.now();
    const { envelopes, raw } = bodyToSend(ctx, {
      type,
      scenario: flags.scenario,
      assignments,
      chaos: flags.chaos,
      given: payload,
      now,
    });

    if (flags.scenario !== undefined || flags.chaos.length > 0)
      return runPlay(ctx, {
        url,
        secret,
        envelopes: envelopes!,
        chaos: flags.chaos,
        delayMs: flags.delay,
        scenarioName: flags.scenario,
      });

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
    const answer: TriggerAnswer = withView(
      {
        url: url.toString(),
        event_type: type!,
        event_id: envelope?.id ?? null,
        delivery_id: deliveryId,
        status: res.status,
        latency_ms: res.latencyMs,
        response_body: res.body,
      },
      { statusText: res.statusText, envelopeId: envelope ? String(envelope.id) : undefined },
    );
    return failing(
      answer,
      is2xx(res.status)
        ? undefined
        : new CheckFailedError(`your endpoint answered ${res.status}`, {
            hint:
              res.status === 400 || res.status === 401
                ? 'A 400/401 usually means the signature check failed: run `anchor webhooks verify` on what it received.'
                : 'Anchor retries anything but a 2xx (except most 4xx).',
          }),
    );
  },
  (result, ctx) => (Array.isArray(result) ? renderPlayTail(result, ctx) : renderAnswer(result, ctx)),
);
