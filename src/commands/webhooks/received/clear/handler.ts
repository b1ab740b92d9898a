// `anchor webhooks received clear`: removes records after a confirmation (unless --yes); without a
// terminal and without --yes it is a usage error. Safe while a `listen` writes (record-clear.ts).
import { CancelledError } from '../../../../errors.js';
import { clearRecords, type ClearFilter } from '../../../../local/record-clear.js';
import { recordDir } from '../../../../local/record.js';
import { style } from '../../../../ui/format.js';
import { handler } from '../../../handler.js';
import { receivedClearCommand } from './decl.js';

const plural = (n: number) => `${n} recorded request${n === 1 ? '' : 's'}`;

export default handler(
  receivedClearCommand,
  async (o, _args, ctx): Promise<{ removed: number }> => {
    const nowMs = ctx.now().getTime();
    const filter: ClearFilter = {
      ...(o.refused ? { refused: true } : {}),
      ...(o.before ? { beforeMs: o.before.at(ctx.now()).getTime() } : {}),
    };
    if (!o.yes) {
      const prompter = await ctx.prompter();
      prompter.ensureInteractive('--yes');
      const n = clearRecords(ctx.env, filter, { nowMs, dryRun: true });
      if (n === 0) return { removed: 0 };
      const which = `${plural(n)}${o.refused ? ' (refused)' : ''}${o.before ? ` received before ${o.before.at(ctx.now()).toISOString()}` : ''}`;
      const ok = await prompter.confirm(`Remove ${which} from ${recordDir(ctx.env)}? This cannot be undone.`, '--yes');
      if (!ok) throw new CancelledError('Nothing was removed.');
    }
    return { removed: clearRecords(ctx.env, filter, { nowMs }) };
  },
  (r, ctx) => {
    if (r.removed === 0) ctx.out('Nothing to remove.\n');
    else ctx.out(`${style(ctx.colorStdout).green('✓')} Removed ${plural(r.removed)}.\n`);
  },
);
