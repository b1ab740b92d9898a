// `anchor webhooks replay`: sends recorded deliveries to a local app again — re-signed with a
// fresh timestamp and the current secret (the app's checks pass), or exactly as received.
// Returns what each got back (--json: the array); an answer that is not 2xx fails the run, after
// the answers are shown.
import type { Context } from '../../../context.js';
import { CheckFailedError, UsageError } from '../../../errors.js';
import { forwardedResigned, recordReplay, replayRequest } from '../../../local/replay.js';
import { forwardingSecretOf, readLocalSecret } from '../../../local/local-secret.js';
import { deliver, is2xx, type DeliveryAnswer } from '../../../local/deliver.js';
import type { ReplayRequest } from '../../../local/replay.js';
import type { RecordedRequest } from '../../../local/record.js';
import { escapeControl, style, truncate } from '../../../ui/format.js';
import { failing, handler } from '../../handler.js';
import { replayCommand } from './decl.js';
import { editBody } from './edit.js';
import { checkRefusedConsent, selectRecords, type ReplayOptions } from './select.js';

export interface ReplayResult {
  record_id: string;
  /** The replay's own record (absent when it could not be written: said on stderr). */
  replay_record_id?: string;
  /** With --new-id: the envelope id it was sent with. */
  event_id?: string;
  url: string;
  resigned: boolean;
  status: number;
  latency_ms: number;
  response_body: string;
}

/** One answer, for people, as it comes (with --edit, before the next body is edited). */
function renderReplay(x: ReplayResult, r: RecordedRequest, ctx: Context): void {
  const s = style(ctx.colorStdout);
  ctx.out(
    `${is2xx(x.status) ? s.green(String(x.status)) : s.red(String(x.status))} in ${x.latency_ms} ms  ${r.id}  ${escapeControl(r.event_type ?? '-')}  → ${escapeControl(x.url)}${x.resigned ? '  (re-signed)' : '  (as received)'}${x.event_id ? `  new id ${x.event_id}` : ''}${x.replay_record_id ? `  recorded as ${x.replay_record_id}` : ''}\n`,
  );
  if (x.response_body) ctx.out(`  ${truncate(x.response_body, 500).split('\n').map(escapeControl).join('\n  ')}\n`);
}

/** Where each record goes: --to, else the URL it was forwarded to. */
function targetsOf(records: readonly RecordedRequest[], to: URL | undefined): URL[] {
  return records.map((r) => {
    const url = to ?? (r.forward ? new URL(r.forward.url) : undefined);
    if (!url)
      throw new UsageError(`${r.id} was not forwarded anywhere, so there is no app to send it to: pass --to <url>`);
    return url;
  });
}

/** One replay sent, and recorded whether the app answered or not. */
async function sendAndRecord(
  ctx: Context,
  r: RecordedRequest,
  sent: ReplayRequest,
  url: URL,
): Promise<{ answer: DeliveryAnswer; replayId: string | undefined }> {
  const record = (answer: DeliveryAnswer | { error: string }): string | undefined => {
    try {
      return recordReplay({ env: ctx.env, redact: (t) => ctx.redact(t), now: () => ctx.now() }, r, sent, url, answer);
    } catch (e) {
      // The replay went out: a record folder that cannot be written is said, not a failure.
      ctx.err(`Warning: the replay of ${r.id} was not recorded: ${(e as Error).message}\n`);
      return undefined;
    }
  };
  let answer: DeliveryAnswer;
  try {
    answer = await deliver(url, sent.headers, sent.body, ctx.env);
  } catch (e) {
    record({ error: (e as Error).message });
    throw e;
  }
  return { answer, replayId: record(answer) };
}

const sameUrl = (a: string, b: URL): boolean => {
  try {
    return new URL(a).href === b.href;
  } catch {
    return false;
  }
};

/** Sends each record in turn, showing people each answer as it comes; a failure part-way stops there. */
async function sendAll(o: ReplayOptions, records: RecordedRequest[], ctx: Context): Promise<ReplayResult[]> {
  const targets = targetsOf(records, o.to);
  // readLocalSecret registers it with ctx.addSecret: kept out of the replay's record too (an app may echo it).
  const secret = o.asReceived ? undefined : (await readLocalSecret(ctx, o.secretFile, 'webhooks replay')).secret;
  // As received by the app: what listen --register forwarded went re-signed with the forwarding secret.
  const forwardingSecret = o.asReceived && records.some(forwardedResigned) ? forwardingSecretOf(ctx) : undefined;
  const results: ReplayResult[] = [];
  for (const [i, r] of records.entries()) {
    // To the app it went to, as the app received it; elsewhere (listen itself), as listen received it.
    const toItsApp = r.forward !== undefined && sameUrl(r.forward.url, targets[i]!);
    const sent = o.asReceived
      ? replayRequest(r, { asReceived: true, ...(forwardingSecret && toItsApp ? { forwardingSecret } : {}) })
      : replayRequest(r, {
          asReceived: false,
          secret: secret!,
          nowSeconds: Math.floor(ctx.now().getTime() / 1000),
          newId: o.newId,
          ...(o.edit ? { body: editBody(ctx, r, Buffer.from(r.body_b64, 'base64')) } : {}),
        });
    const { answer, replayId } = await sendAndRecord(ctx, r, sent, targets[i]!);
    const result: ReplayResult = {
      record_id: r.id,
      ...(replayId ? { replay_record_id: replayId } : {}),
      ...(sent.eventId ? { event_id: sent.eventId } : {}),
      url: targets[i]!.toString(),
      resigned: !o.asReceived,
      status: answer.status,
      latency_ms: answer.latencyMs,
      response_body: answer.body,
    };
    results.push(result);
    if (!ctx.globals.json) renderReplay(result, r, ctx);
  }
  return results;
}

export default handler(
  replayCommand,
  async (o, [ids], ctx): Promise<ReplayResult[]> => {
    const records = selectRecords(ids, o, ctx);
    checkRefusedConsent(records, o);
    const results = await sendAll(o, records, ctx);
    const bad = results.filter((x) => !is2xx(x.status));
    // The answers are the user's evidence: shown (or printed as JSON) before the failure is said.
    return failing(
      results,
      bad.length === 0
        ? undefined
        : new CheckFailedError(`${bad.length} of ${results.length} replayed deliveries got a non-2xx answer`, {
            hint: o.asReceived
              ? `Sent as received: an old timestamp or another secret may be why. Drop --as-received to re-sign them${records.some((r) => r.verdict === 'refused') ? ' (a refused request also needs --resign-refused)' : ''}.`
              : 'See `anchor webhooks received show <id>` for what was sent, and your app for why it refused.',
          }),
    );
  },
  // Each answer was shown as it came.
  () => {},
);
