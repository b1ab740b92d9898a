// Which recorded deliveries a replay sends (ids, --last n, or --since with --type), and the
// refusal to re-sign a request `listen` refused unless the user says they know where it came from.
import type { Context } from '../../../context.js';
import { NotFoundError, UsageError } from '../../../errors.js';
import { readRecords, type RecordedRequest } from '../../../local/record.js';
import { isVerifiedOriginal } from '../../../local/record-select.js';
import { escapeControl } from '../../../ui/format.js';
import { checkEventsFlag } from '../../flags.js';
import type { FlagValues } from '../../spec.js';
import { recordsNamed } from '../shared/record-ids.js';
import { readerNotices } from '../shared/record-view.js';
import type { replayCommand } from './decl.js';

export type ReplayOptions = FlagValues<typeof replayCommand>;

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
  if (ids.length) return recordsNamed(ctx, ids).named;
  // Verified originals only: a refused request is replayed by its record id, and a replay or a
  // duplicate is a copy of one.
  let chosen = readRecords(ctx.env, {
    ...readerNotices(ctx),
    nowMs: ctx.now().getTime(),
    withBodies: true,
    since: o.since?.at(ctx.now()).getTime(),
    ...(o.type ? { type: o.type } : {}),
  }).filter(isVerifiedOriginal);
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
