// `anchor webhooks apply -f <file>`: makes the project's webhooks match a file. One request reads
// the project (an entry's pinned `id` must be one of its webhooks); the plan (create, update,
// delete with --prune, unchanged) is checked against the limit of 5 before anything is sent; then
// deletes, updates and creates, in that order (execute.ts).
//
// `run` returns the --json document ({plan, applied, secret_files?}). People see the plan before
// they are asked to confirm and each change as it is made, so those are printed while `run` works
// (render.ts; nothing under --json); the renderer prints only the closing line. A drift found by
// --check prints the document (or the plan) and then fails with exit 6.
import type { Context } from '../../../context.js';
import { isTemporaryWebhook } from '../shared/temporary.js';
import { ApiError, CancelledError, CheckFailedError, UsageError } from '../../../errors.js';
import { prepareSecretDir } from '../../../lib/secret-dir.js';
import { style } from '../../../ui/format.js';
import { allowLocalTargets } from '../../flags.js';
import { handler, type Run } from '../../handler.js';
import { viewOf, withView, type WithView } from '../../result-view.js';
import { applyCommand } from './decl.js';
import { applyChanges } from './execute.js';
import { parseApplyFile, WEBHOOK_LIMIT } from './file.js';
import { unknownIdsError } from './file-problems.js';
import { makePlan, type PlanEntry } from './plan.js';
import { readApplyFile } from './read-file.js';
import { closingLine, printPlan, type Closing } from './render.js';

/** What --json prints. */
export interface ApplyDocument {
  plan: PlanEntry[];
  applied: boolean;
  secret_files?: Record<string, string>;
}

type Applied = WithView<ApplyDocument, { closing: Closing; name: string }>;

const run: Run<typeof applyCommand, Applied> = async (flags, _args, ctx) => {
  if (flags.file === undefined)
    throw new UsageError('missing --file', {
      hint: 'Usage: anchor webhooks apply -f anchor-webhooks.yaml; `anchor webhooks export > anchor-webhooks.yaml` writes one.',
    });
  if (flags.check && flags.dryRun) throw new UsageError('--check and --dry-run cannot be used together');
  const { text, name } = await readApplyFile(ctx, flags.file);
  const desired = parseApplyFile(text, name, {
    allowLocalTargets: allowLocalTargets(flags.allowLocalTargets, ctx.env),
  });

  const api = await ctx.api();
  const { webhooks: all } = await ctx.withSpinner('Reading the project’s webhooks…', () => api.listWebhooks());
  // A running `listen --register`'s webhook is nobody's configuration: never matched, pruned or drift.
  const current = all.filter((w) => !isTemporaryWebhook(w));
  const temporary = all.length - current.length;
  const pinned = desired.flatMap((d) => (d.id !== undefined && d.idAt ? [{ id: d.id, place: d.idAt }] : []));
  const unknownIds = unknownIdsError(
    name,
    pinned,
    new Set(current.map((w) => w.id)),
    new Set(all.filter(isTemporaryWebhook).map((w) => w.id)),
  );
  if (unknownIds) throw unknownIds;
  const plan = makePlan(desired, current, flags.prune);
  const changing = plan.steps.filter((st) => st.entry.action !== 'unchanged');
  const creates = changing.filter((st) => st.entry.action === 'create');
  const planJson = plan.steps.map((st) => st.entry);
  const ending = (document: ApplyDocument, closing: Closing): Applied => withView(document, { closing, name });
  printPlan(ctx, plan, name);

  if (plan.resulting + temporary > WEBHOOK_LIMIT) {
    throw new ApiError(
      `the plan would leave the project with ${plan.resulting + temporary} webhooks${temporary ? ` (${temporary} of them temporary, of a running \`listen --register\`)` : ''}; Anchor allows at most ${WEBHOOK_LIMIT}. Nothing was sent.`,
      {
        hint: plan.untouched.length
          ? `${plan.untouched.length} webhook(s) are not in the file: add --prune to delete them, or remove entries from the file.`
          : 'Remove entries from the file.',
      },
    );
  }

  if (flags.check || flags.dryRun) {
    const document = { plan: planJson, applied: false };
    if (flags.check && changing.length > 0) {
      // The plan is the finding: CI reads it, then the exit code.
      if (ctx.globals.json) ctx.outJson(document);
      throw new CheckFailedError(`the project has drifted from ${name}: ${changing.length} change(s) would be made`, {
        hint: `Run \`anchor webhooks apply -f ${flags.file}${flags.prune ? ' --prune' : ''}\` to apply them.`,
      });
    }
    return ending(document, flags.check ? 'no-drift' : 'dry-run');
  }

  // Every refusal comes before the first request that changes anything.
  const secretDir = flags.secretDir === undefined ? undefined : prepareSecretDir(flags.secretDir, '--secret-dir');
  if (creates.length > 0 && !secretDir && !ctx.humanTTY) {
    throw new UsageError(
      `${creates.length} webhook(s) would be created, and their secrets must not go to a log: pass --secret-dir <dir>`,
      {
        hint: `Without a terminal (or with --json) a created webhook's secret is written to <dir>/<id>.secret (mode 0600); nothing was sent.`,
      },
    );
  }
  if (changing.length === 0) return ending({ plan: planJson, applied: false }, 'nothing-to-do');
  if (!flags.yes) {
    const prompter = await ctx.prompter();
    prompter.ensureInteractive('--yes');
    if (!(await prompter.confirm(`Apply these ${changing.length} change(s) to the project?`, '--yes')))
      throw new CancelledError('Not applied: nothing was changed.');
  }

  const secretFiles = await applyChanges(changing, { api, ctx, secretDir, file: flags.file });
  return ending(
    {
      plan: planJson,
      applied: true,
      ...(Object.keys(secretFiles).length ? { secret_files: secretFiles } : {}),
    },
    'applied',
  );
};

function renderApplied(result: Applied, ctx: Context): void {
  const { closing, name } = viewOf(result);
  ctx.out(closingLine(closing, name, style(ctx.colorStdout)));
}

export default handler(applyCommand, run, renderApplied);
