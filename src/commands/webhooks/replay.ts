// `anchor webhooks replay`: sends recorded deliveries to a local app again — re-signed with a
// fresh timestamp and the current secret (the app's checks pass), or exactly as received.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { CheckFailedError, NotFoundError, UsageError } from '../../errors.js';
import { replayRequest } from '../../local/replay.js';
import { readSecret } from '../../local/inputs.js';
import { deliver, is2xx } from '../../local/deliver.js';
import { readRecords, type ReadOptions, type RecordedRequest } from '../../local/record.js';
import { escapeControl, style, truncate } from '../../ui/format.js';
import { checkEventsFlag } from '../flags.js';
import type { FlagValues } from '../spec.js';
import type { replayCommand } from './received.decl.js';
import { corruptionReporter } from './received.js';
import { fileForId } from '../../lib/safe-name.js';

export type ReplayOptions = FlagValues<typeof replayCommand>;

export interface ReplayResult {
  record_id: string;
  url: string;
  resigned: boolean;
  status: number;
  latency_ms: number;
  response_body: string;
}

/** The records a replay names: ids, --last n, or --since (with --type), oldest first. */
export function selectRecords(ids: readonly string[], o: ReplayOptions, ctx: Context): RecordedRequest[] {
  const last = o.last === undefined ? undefined : o.last === true ? 1 : o.last;
  const ways = [ids.length > 0, last !== undefined, o.since !== undefined].filter(Boolean).length;
  if (ways === 0)
    throw new UsageError('say which recorded deliveries to replay', {
      hint: 'Give record ids (from `anchor webhooks received`), --last [n], or --since <dur>.',
    });
  if (ways > 1) throw new UsageError('give record ids, --last or --since: one of them');
  if (o.type !== undefined) checkEventsFlag([o.type], '--type');
  const read = (extra: Omit<ReadOptions, 'nowMs'>) =>
    readRecords(ctx.env, { onCorrupt: corruptionReporter(ctx), ...extra, nowMs: ctx.now().getTime() });
  let chosen: RecordedRequest[];
  if (ids.length) {
    const want = new Set(ids);
    const found = read({ withBodies: (id) => want.has(id) }).filter((r) => want.has(r.id));
    const missing = ids.filter((id) => !found.some((r) => r.id === id));
    if (missing.length)
      throw new NotFoundError(`no recorded request ${missing.join(', ')}`, {
        hint: 'List the recorded requests with `anchor webhooks received`.',
      });
    chosen = ids.map((id) => found.find((r) => r.id === id)!);
    return chosen;
  }
  // Deliveries only: what listen verified (a refused request is replayed by its id).
  chosen = read({
    withBodies: true,
    since: o.since?.at(ctx.now()).getTime(),
    ...(o.type ? { type: o.type } : {}),
  }).filter((r) => r.verdict === 'ok' && !r.duplicate);
  if (last !== undefined) chosen = chosen.slice(0, last);
  if (chosen.length === 0)
    throw new NotFoundError('no recorded delivery matches', {
      hint: 'See what was recorded with `anchor webhooks received`.',
    });
  return chosen.reverse();
}

/**
 * A refused request is a stranger's until proven otherwise: re-signing it would put the user's
 * signature on a forged body. It goes as received unless the user says they know its source.
 */
export function checkRefusedConsent(records: readonly RecordedRequest[], o: ReplayOptions): void {
  if (o.asReceived || o.resignRefused) return;
  const refused = records.filter((r) => r.verdict === 'refused').map((r) => escapeControl(r.id));
  if (!refused.length) return;
  const which = `${refused.join(', ')} ${refused.length === 1 ? 'was' : 'were'} refused by listen`;
  const sendAsReceived = `\`anchor webhooks replay ${refused.join(' ')} --as-received\``;
  throw new UsageError(
    o.edit
      ? `--edit signs the body you save, and ${which}: nothing was sent`
      : `${which}, and replay re-signs by default: that would sign a stranger's body with your secret. Nothing was sent`,
    {
      hint: `Send ${refused.length === 1 ? 'it' : 'them'} unchanged with --as-received (${sendAsReceived}${o.edit ? ', without --edit' : ''}), or add --resign-refused if you know where ${refused.length === 1 ? 'it' : 'they'} came from.`,
    },
  );
}

/** Opens $VISUAL or $EDITOR on a body; what was saved is what is sent. */
function editBody(ctx: Context, r: RecordedRequest, body: Buffer): Buffer {
  const editor = ctx.env.VISUAL || ctx.env.EDITOR;
  if (!editor) throw new UsageError('--edit needs $VISUAL or $EDITOR set to your editor');
  const dir = mkdtempSync(join(tmpdir(), 'anchor-replay-'));
  // The record's id names the file the editor shows, when it is a safe file name (a record is read from disk).
  const file = fileForId(dir, r.id, '.json') ?? join(dir, 'body.json');
  try {
    writeFileSync(file, body, { mode: 0o600 });
    // Through sh, so that an editor with arguments (`code -w`) works; the path is an argument, not code.
    const res = spawnSync('sh', ['-c', `${editor} "$1"`, 'anchor-edit', file], { stdio: 'inherit', env: ctx.env });
    if (res.status !== 0)
      throw new UsageError(
        `the editor (${editor}) exited with ${res.status ?? res.signal}; nothing was sent for ${r.id}`,
      );
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const o = input.flags<typeof replayCommand>();
  const to = o.to;
  const records = selectRecords(input.args, o, ctx);
  checkRefusedConsent(records, o);
  const targets = records.map((r) => {
    const url = to ?? (r.forward ? new URL(r.forward.url) : undefined);
    if (!url)
      throw new UsageError(`${r.id} was not forwarded anywhere, so there is no app to send it to: pass --to <url>`);
    return url;
  });
  const secret = o.asReceived ? undefined : await readSecret(ctx, o.secretFile);
  const s = style(ctx.colorStdout);
  const results: ReplayResult[] = [];
  for (const [i, r] of records.entries()) {
    const { headers, body } = o.asReceived
      ? replayRequest(r, { asReceived: true })
      : replayRequest(r, {
          asReceived: false,
          secret: secret!,
          nowSeconds: Math.floor(ctx.now().getTime() / 1000),
          ...(o.edit ? { body: editBody(ctx, r, Buffer.from(r.body_b64, 'base64')) } : {}),
        });
    const answer = await deliver(targets[i]!, headers, body, ctx.env);
    const result: ReplayResult = {
      record_id: r.id,
      url: targets[i]!.toString(),
      resigned: !o.asReceived,
      status: answer.status,
      latency_ms: answer.latencyMs,
      response_body: answer.body,
    };
    results.push(result);
    if (!ctx.globals.json) {
      const ok = is2xx(answer.status);
      ctx.out(
        `${ok ? s.green(String(answer.status)) : s.red(String(answer.status))} in ${answer.latencyMs} ms  ${r.id}  ${escapeControl(r.event_type ?? '-')}  → ${escapeControl(result.url)}${o.asReceived ? '  (as received)' : '  (re-signed)'}\n`,
      );
      if (answer.body) ctx.out(`  ${truncate(answer.body, 500).split('\n').map(escapeControl).join('\n  ')}\n`);
    }
  }
  if (ctx.globals.json) ctx.outJson(results);
  const bad = results.filter((x) => !is2xx(x.status));
  if (bad.length)
    throw new CheckFailedError(`${bad.length} of ${results.length} replayed deliveries got a non-2xx answer`, {
      hint: o.asReceived
        ? `Sent as received: an old timestamp or another secret may be why. Drop --as-received to re-sign them${records.some((r) => r.verdict === 'refused') ? ' (a refused request also needs --resign-refused)' : ''}.`
        : 'See `anchor webhooks received show <id>` for what was sent, and your app for why it refused.',
    });
}
