// Making the changes of a plan: deletes, updates and creates, one request each, in the plan's
// order. A created webhook's secret goes to --secret-dir, or on screen once for a person at a
// terminal. A failure half-way is told with what was done before it and what was not, and the
// same apply run again finishes the job.
import type { Context } from '../../../context.js';
import { CliError } from '../../../errors.js';
import type { ApiClient } from '../../../api/client.js';
import { quoteId } from '../../../lib/safe-name.js';
import { escapeControl } from '../../../ui/format.js';
import { showSecret } from '../shared/secret-file.js';
import type { DesiredWebhook } from './file.js';
import type { Step } from './plan.js';
import { printStep, stepLines } from './render.js';
import { writeSecretFile } from './secret-files.js';

export interface Execution {
  api: ApiClient;
  ctx: Context;
  /** Where created webhooks' secrets are written; undefined: shown on screen. */
  secretDir: string | undefined;
  /** The file as -f named it, for the hint that says how to finish after a failure. */
  file: string;
}

/** Makes each change of `changing`; returns the secret file of each created webhook, by id. */
export async function applyChanges(changing: readonly Step[], x: Execution): Promise<Record<string, string>> {
  const { api, ctx } = x;
  const done: string[] = [];
  const secretFiles: Record<string, string> = {};
  for (const [i, st] of changing.entries()) {
    const e = st.entry;
    try {
      if (e.action === 'delete') {
        await ctx.withSpinner(`Deleting ${escapeControl(e.id!)}…`, () => api.deleteWebhook(e.id!));
        done.push(`deleted ${escapeControl(e.id!)}`);
        printStep(ctx, stepLines.deleted(e.id!, e.url));
      } else if (e.action === 'update') {
        await ctx.withSpinner(`Updating ${escapeControl(e.id!)}…`, () => api.updateWebhook(e.id!, st.body!));
        done.push(`updated ${escapeControl(e.id!)}`);
        printStep(ctx, stepLines.updated(e.id!, e.url, Object.keys(e.changes!)));
      } else {
        await create(st.desired!, x, secretFiles, (id) => {
          e.id = id;
          done.push(`created ${escapeControl(id)}`);
        });
      }
    } catch (caught) {
      // A create that failed after the API made the webhook (its secret file, say) is done.
      const made = e.action === 'create' && e.id !== undefined;
      throw halfDone(caught, done, changing.slice(made ? i + 1 : i), x.file);
    }
  }
  return secretFiles;
}

async function create(
  d: DesiredWebhook,
  { api, ctx, secretDir }: Execution,
  secretFiles: Record<string, string>,
  created: (id: string) => void,
): Promise<void> {
  const body = {
    url: d.url,
    subscribed_events: d.events,
    ...(d.description === null ? {} : { description: d.description }),
  };
  const w = await ctx.withSpinner(`Creating ${d.url}…`, () => api.createWebhook(body));
  created(w.id);
  if (secretDir) {
    let written: { path: string; refused?: string };
    try {
      written = writeSecretFile(secretDir, w.id, w.secret);
    } catch (e) {
      // Nothing could be written: a person at a terminal still gets the secret, once, on screen.
      if (ctx.humanTTY) showSecret(ctx, w, 'Created');
      throw new CliError(
        `created ${escapeControl(w.id)}, but its secret could not be written to ${secretDir} (${(e as NodeJS.ErrnoException).code})${ctx.humanTTY ? '; it is shown above' : ''}`,
        {
          hint: `Mint a new secret into a file with \`anchor webhooks rotate-secret ${escapeControl(w.id)} --yes --secret-file <path>\`.`,
        },
      );
    }
    secretFiles[w.id] = written.path;
    // A hostile or broken API: the webhook exists, its secret is safe, and nothing more is done.
    if (written.refused)
      throw new CliError(
        `created a webhook, but the API answered with the id ${quoteId(w.id)}, which cannot name its secret file (${written.refused}); its secret was written to ${written.path} (mode 0600) instead`,
        {
          hint: 'Check ANCHOR_API_URL points at the Anchor API; `anchor webhooks list` shows the webhook.',
        },
      );
    printStep(ctx, stepLines.created(w.id, w.url, written.path));
  } else {
    showSecret(ctx, w, 'Created');
  }
  // A file asking for a disabled webhook: created, then disabled (the API creates them enabled).
  if (!d.enabled) {
    await ctx.withSpinner(`Disabling ${w.id}…`, () => api.updateWebhook(w.id, { enabled: false }));
    printStep(ctx, stepLines.disabled(w.id));
  }
}

/** The error of a step, told with what was done before it and what was not. */
function halfDone(caught: unknown, done: string[], left: readonly Step[], file: string): unknown {
  if (!(caught instanceof CliError)) return caught;
  const notDone = left.map((st) => `${st.entry.action} ${st.entry.id ?? st.entry.url}`);
  const Kind = caught.constructor as new (m: string, o: object) => CliError;
  return new Kind(
    `${caught.message}. Done before it: ${done.length ? done.join(', ') : 'nothing'}; not done: ${notDone.length ? notDone.join(', ') : 'nothing'}`,
    {
      hint: `Run the same \`anchor webhooks apply -f ${file}\` again to finish: it plans from what the project has now.${caught.hint ? ` ${caught.hint}` : ''}`,
      status: caught.status,
      cause: caught,
    },
  );
}
