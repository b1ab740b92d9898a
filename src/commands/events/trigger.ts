// `anchor events trigger <type> --forward-to <url>`: signs an example (or given) event exactly as
// Anchor does and POSTs it to a local URL; shows status, latency and the response body.
import { randomUUID } from 'node:crypto';
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { CheckFailedError, NetworkError, UsageError } from '../../errors.js';
import { buildEnvelope } from '../../core/event-examples.js';
import { deliveryHeaders } from '../../core/signature.js';
import { checkStdinUse, readPayload, readSecret } from '../../local/inputs.js';
import { send, TransportError } from '../../api/transport.js';
import { escapeControl, style, truncate } from '../../ui/format.js';
import { requireEventType } from '../flags.js';
import { parseFlags } from '../spec.js';
import { triggerCommand } from './events.decl.js';

export const TRIGGER_TIMEOUT_MS = 10_000;
/** What is read of the endpoint's answer (only its first 2,000 characters are shown). */
export const TRIGGER_MAX_RESPONSE_BYTES = 1024 * 1024;

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
  const type = requireEventType(
    input.args[0],
    'event type',
    'Usage: anchor events trigger <type> --forward-to <url>; see every type with `anchor events list`.',
  );
  const o = parseFlags(triggerCommand, input.opts);
  if (!o.forwardTo)
    throw new UsageError('missing --forward-to', {
      hint: 'For example: --forward-to http://localhost:3000/webhooks/anchor',
    });
  let url: URL;
  try {
    url = new URL(o.forwardTo);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new UsageError(`invalid --forward-to "${o.forwardTo}": give an http:// or https:// URL`);
  }
  checkStdinUse(o.secretFile, o.payload);
  const secret = await readSecret(ctx, o.secretFile);
  const given = await readPayload(ctx, o.payload, false);
  const now = ctx.now();
  const envelope = given ? undefined : buildEnvelope({ type, projectId: randomUUID(), now });
  const body = given ?? Buffer.from(JSON.stringify(envelope));
  if (given) warnAboutPayload(ctx, given, type);
  const deliveryId = randomUUID();
  const headers = deliveryHeaders({
    secrets: [secret],
    timestamp: Math.floor(now.getTime() / 1000),
    body,
    eventType: type,
    deliveryId,
  });
  const started = process.hrtime.bigint();
  let res;
  try {
    res = await send({
      method: 'POST',
      url,
      headers,
      body,
      timeoutMs: TRIGGER_TIMEOUT_MS,
      env: ctx.env,
      maxResponseBytes: TRIGGER_MAX_RESPONSE_BYTES,
    });
  } catch (e) {
    if (!(e instanceof TransportError)) throw e;
    if (e.kind === 'too_large') {
      throw new NetworkError(
        `${url.origin} answered, but ${e.message.replace(/^the response from \S+ /, 'its response ')}`,
        { hint: 'A webhook endpoint answers with a status and a short body; Anchor ignores the body.' },
      );
    }
    throw new NetworkError(`could not deliver to ${url.origin}: ${e.message}`, {
      hint: `Is your app listening on ${url.host}?`,
    });
  }
  const latencyMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
  const responseBody = res.body.toString('utf8');
  const ok = res.status >= 200 && res.status < 300;
  if (ctx.globals.json) {
    ctx.outJson({
      url: url.toString(),
      event_type: type,
      event_id: envelope?.id ?? null,
      delivery_id: deliveryId,
      status: res.status,
      latency_ms: latencyMs,
      response_body: responseBody,
    });
  } else {
    const s = style(ctx.colorStdout);
    ctx.out(
      `${ok ? s.green(String(res.status)) : s.red(String(res.status))} ${escapeControl(res.statusText)} in ${latencyMs} ms from ${url}\n`,
    );
    ctx.out(`  sent ${type}${envelope ? ` ${envelope.id}` : ' (your payload)'}, Anchor-Delivery-Id ${deliveryId}\n`);
    // Your app's answer, as a block: its lines kept, every other control character escaped.
    if (responseBody) ctx.out(`\n${truncate(responseBody, 2000).split('\n').map(escapeControl).join('\n')}\n`);
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
