// `anchor webhooks apply -f <file>`: makes the project's webhooks match a file. One request reads
// the project; the plan (create, update, delete with --prune, unchanged) is checked against the
// limit of 5 before anything is sent; then deletes, updates and creates, in that order. A failure
// half-way says what was done and what was not, and the same apply run again finishes the job.
import { openSync, closeSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { ApiError, CancelledError, CheckFailedError, CliError, UsageError } from '../../errors.js';
import type { ApiClient } from '../../api/client.js';
import type { UpdateRequest, WebhookPublic } from '../../api/schemas.js';
import { normalizeWebhookUrl } from '../../core/url-rules.js';
import { readFileBounded, readStreamBounded } from '../../lib/read.js';
import { fileForId, quoteId, unsafeIdReason } from '../../lib/safe-name.js';
import { prepareSecretDir } from '../../lib/secret-dir.js';
import { escapeControl, style } from '../../ui/format.js';
import { allowLocalTargets } from '../flags.js';
import type { FlagValues } from '../spec.js';
import type { applyCommand } from './apply.decl.js';
import { parseApplyFile, WEBHOOK_LIMIT, type DesiredWebhook } from './apply-file.js';
import { showSecret } from './shared/secret-file.js';

export type ApplyOptions = FlagValues<typeof applyCommand>;

/** An apply file is small; this bounds what `-f /dev/zero` or an endless pipe can cost. */
const MAX_FILE_BYTES = 1024 * 1024;

type Action = 'create' | 'update' | 'delete' | 'unchanged';

export interface Change {
  from: unknown;
  to: unknown;
}

export interface PlanEntry {
  action: Action;
  url: string;
  id?: string;
  changes?: Record<string, Change>;
}

interface Step {
  entry: PlanEntry;
  desired?: DesiredWebhook;
  body?: UpdateRequest;
}

export interface Plan {
  /** Deletes, updates, creates, then the unchanged: the order they are applied in. */
  steps: Step[];
  /** Webhooks of the project the file does not list, left alone without --prune. */
  untouched: WebhookPublic[];
  /** How many webhooks the project has once the plan is applied. */
  resulting: number;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

/** What it takes to go from `current` to `desired`, matching webhooks by (normalized) URL. */
export function makePlan(desired: readonly DesiredWebhook[], current: readonly WebhookPublic[], prune: boolean): Plan {
  const matched = new Set<WebhookPublic>();
  const updates: Step[] = [];
  const creates: Step[] = [];
  const unchanged: Step[] = [];
  for (const d of desired) {
    const w = current.find((c) => !matched.has(c) && sameUrl(c.url, d.url));
    if (!w) {
      creates.push({ entry: { action: 'create', url: d.url }, desired: d });
      continue;
    }
    matched.add(w);
    const changes: Record<string, Change> = {};
    const body: UpdateRequest = {};
    if (!sameSet(w.subscribed_events, d.events)) {
      changes.events = { from: w.subscribed_events, to: d.events };
      body.subscribed_events = d.events;
    }
    if ((w.description ?? null) !== d.description) {
      changes.description = { from: w.description ?? null, to: d.description };
      body.description = d.description;
    }
    if (w.enabled !== d.enabled) {
      changes.enabled = { from: w.enabled, to: d.enabled };
      body.enabled = d.enabled;
    }
    if (Object.keys(changes).length === 0) unchanged.push({ entry: { action: 'unchanged', url: w.url, id: w.id } });
    else updates.push({ entry: { action: 'update', url: w.url, id: w.id, changes }, desired: d, body });
  }
  const rest = current.filter((c) => !matched.has(c));
  const deletes: Step[] = prune ? rest.map((w) => ({ entry: { action: 'delete', url: w.url, id: w.id } })) : [];
  return {
    steps: [...deletes, ...updates, ...creates, ...unchanged],
    untouched: prune ? [] : rest,
    resulting: current.length - deletes.length + creates.length,
  };
}

function sameUrl(a: string, b: string): boolean {
  try {
    return normalizeWebhookUrl(a) === normalizeWebhookUrl(b);
  } catch {
    return a === b;
  }
}

const SYMBOL: Record<Action, string> = { create: '+', update: '~', delete: '-', unchanged: '=' };

function describeChange(field: string, c: Change): string {
  if (field === 'events') {
    const from = c.from as string[];
    const to = c.to as string[];
    const added = to.filter((e) => !from.includes(e)).map((e) => `+${e}`);
    const removed = from.filter((e) => !to.includes(e)).map((e) => `-${e}`);
    return `events ${[...added, ...removed].join(' ')}`;
  }
  const show = (v: unknown) => (v === null ? 'none' : typeof v === 'string' ? JSON.stringify(v) : String(v));
  return `${field} ${show(c.from)} → ${show(c.to)}`;
}

/** The plan as `terraform plan` shows one: a line a webhook, aligned, coloured in a terminal. */
export function renderPlan(plan: Plan, s: ReturnType<typeof style>): string {
  const paint: Record<Action, (t: string) => string> = {
    create: s.green,
    update: s.yellow,
    delete: s.red,
    unchanged: s.dim,
  };
  const urls = plan.steps.map((st) => escapeControl(st.entry.url));
  const urlWidth = Math.min(60, Math.max(0, ...urls.map((u) => u.length)));
  const idWidth = Math.max(0, ...plan.steps.map((st) => st.entry.id?.length ?? 0));
  const lines = plan.steps.map((st, i) => {
    const e = st.entry;
    const detail =
      e.action === 'create'
        ? `events ${st.desired!.events.join(', ')}${st.desired!.enabled ? '' : ', disabled'}`
        : e.action === 'update'
          ? Object.entries(e.changes!)
              .map(([f, c]) => describeChange(f, c))
              .join('; ')
          : '';
    const cells = [
      paint[e.action](`${SYMBOL[e.action]} ${e.action.padEnd(9)}`),
      urls[i]!.padEnd(urlWidth),
      escapeControl(e.id ?? '').padEnd(idWidth),
      escapeControl(detail),
    ];
    return `  ${cells.join('  ').trimEnd()}\n`;
  });
  const count = (a: Action) => plan.steps.filter((st) => st.entry.action === a).length;
  const summary = `Plan: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${count('unchanged')} unchanged.\n`;
  return `${lines.join('')}${lines.length ? '\n' : ''}${summary}`;
}

async function readFile(ctx: Context, file: string): Promise<{ text: string; name: string }> {
  if (file === '-') {
    if (ctx.stdinIsTTY)
      throw new UsageError('-f - reads the file from stdin, but stdin is a terminal', {
        hint: 'Pipe the file in (anchor webhooks export | anchor webhooks apply -f -), or give its path.',
      });
    const bytes = await readStreamBounded(ctx.io.stdin, MAX_FILE_BYTES, 'the apply file on stdin');
    return { text: bytes.toString('utf8'), name: '<stdin>' };
  }
  try {
    return { text: readFileBounded(file, MAX_FILE_BYTES, `the apply file ${file}`).toString('utf8'), name: file };
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the apply file ${file} (${code ?? (e as Error).message})`, {
      hint:
        code === 'ENOENT' ? 'Check the path; `anchor webhooks export > FILE` writes one from the project.' : undefined,
    });
  }
}

function writeNewFile(path: string, secret: string): void {
  // 'wx': never over an existing file, nor through a link planted at that name.
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, secret);
  } finally {
    closeSync(fd);
  }
}

/**
 * A created webhook's secret, in `<dir>/<id>.secret`. An id the API answered that cannot name a
 * file there (`../outside/x`), or a name already taken, must not lose the secret: it goes to a
 * fresh name in the same folder, and `refused` says why. Throws only when nothing can be written.
 */
function writeSecretFile(dir: string, id: string, secret: string): { path: string; refused?: string } {
  const named = fileForId(dir, id, '.secret');
  let refused = named ? undefined : (unsafeIdReason(id) ?? 'its file name would leave the folder');
  if (named) {
    try {
      writeNewFile(named, secret);
      return { path: named };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw e;
      refused = `${named} already exists, and a secret file is never overwritten`;
    }
  }
  const path = join(dir, `created-${Date.now()}-${randomBytes(4).toString('hex')}.secret`);
  writeNewFile(path, secret);
  return { path, refused };
}

export async function runApply(options: ApplyOptions, ctx: Context): Promise<void> {
  if (options.file === undefined)
    throw new UsageError('missing --file', {
      hint: 'Usage: anchor webhooks apply -f anchor-webhooks.yaml; `anchor webhooks export > anchor-webhooks.yaml` writes one.',
    });
  if (options.check && options.dryRun) throw new UsageError('--check and --dry-run cannot be used together');
  const { text, name } = await readFile(ctx, options.file);
  const desired = parseApplyFile(text, name, {
    allowLocalTargets: allowLocalTargets(options.allowLocalTargets, ctx.env),
  });

  const api = await ctx.api();
  const { webhooks: current } = await ctx.withSpinner('Reading the project’s webhooks…', () => api.listWebhooks());
  const plan = makePlan(desired, current, options.prune);
  const changing = plan.steps.filter((st) => st.entry.action !== 'unchanged');
  const creates = changing.filter((st) => st.entry.action === 'create');
  const s = style(ctx.colorStdout);
  const showPlan = () => {
    if (ctx.globals.json) return;
    ctx.out(renderPlan(plan, s));
    if (plan.untouched.length) {
      ctx.err(
        `Note: ${plan.untouched.length} webhook(s) of the project are not in ${name} and are left alone (--prune deletes them): ${plan.untouched.map((w) => `${escapeControl(w.id)} ${escapeControl(w.url)}`).join(', ')}\n`,
      );
    }
  };
  const planJson = plan.steps.map((st) => st.entry);

  if (plan.resulting > WEBHOOK_LIMIT) {
    showPlan();
    throw new ApiError(
      `the plan would leave the project with ${plan.resulting} webhooks; Anchor allows at most ${WEBHOOK_LIMIT}. Nothing was sent.`,
      {
        hint: plan.untouched.length
          ? `${plan.untouched.length} webhook(s) are not in the file: add --prune to delete them, or remove entries from the file.`
          : 'Remove entries from the file.',
      },
    );
  }

  if (options.check || options.dryRun) {
    if (ctx.globals.json) ctx.outJson({ plan: planJson, applied: false });
    else showPlan();
    if (options.check && changing.length > 0)
      throw new CheckFailedError(`the project has drifted from ${name}: ${changing.length} change(s) would be made`, {
        hint: `Run \`anchor webhooks apply -f ${options.file}${options.prune ? ' --prune' : ''}\` to apply them.`,
      });
    if (!ctx.globals.json)
      ctx.out(options.check ? `No drift: the project matches ${name}.\n` : 'Dry run: nothing was sent.\n');
    return;
  }

  showPlan();
  // Every refusal comes before the first request that changes anything.
  const secretDir = options.secretDir === undefined ? undefined : prepareSecretDir(options.secretDir, '--secret-dir');
  const showOnScreen = ctx.humanTTY;
  if (creates.length > 0 && !secretDir && !showOnScreen) {
    throw new UsageError(
      `${creates.length} webhook(s) would be created, and their secrets must not go to a log: pass --secret-dir <dir>`,
      {
        hint: `Without a terminal (or with --json) a created webhook's secret is written to <dir>/<id>.secret (mode 0600); nothing was sent.`,
      },
    );
  }
  if (changing.length === 0) {
    if (ctx.globals.json) ctx.outJson({ plan: planJson, applied: false });
    else ctx.out(`Nothing to do: the project matches ${name}.\n`);
    return;
  }
  if (!options.yes) {
    const prompter = await ctx.prompter();
    prompter.ensureInteractive('--yes');
    if (!(await prompter.confirm(`Apply these ${changing.length} change(s) to the project?`, '--yes')))
      throw new CancelledError('Not applied: nothing was changed.');
  }

  const done: string[] = [];
  const secretFiles: Record<string, string> = {};
  for (const [i, st] of changing.entries()) {
    const e = st.entry;
    try {
      if (e.action === 'delete') {
        await ctx.withSpinner(`Deleting ${escapeControl(e.id!)}…`, () => api.deleteWebhook(e.id!));
        done.push(`deleted ${escapeControl(e.id!)}`);
        if (!ctx.globals.json) ctx.out(`${s.red('-')} Deleted ${escapeControl(e.id!)} (${escapeControl(e.url)})\n`);
      } else if (e.action === 'update') {
        await ctx.withSpinner(`Updating ${escapeControl(e.id!)}…`, () => api.updateWebhook(e.id!, st.body!));
        done.push(`updated ${escapeControl(e.id!)}`);
        if (!ctx.globals.json)
          ctx.out(
            `${s.yellow('~')} Updated ${escapeControl(e.id!)} (${escapeControl(e.url)}): ${Object.keys(e.changes!).join(', ')}\n`,
          );
      } else {
        await create(api, st.desired!, ctx, secretDir, secretFiles, s, (id) => {
          e.id = id;
          done.push(`created ${escapeControl(id)}`);
        });
      }
    } catch (caught) {
      // A create that failed after the API made the webhook (its secret file, say) is done.
      const made = e.action === 'create' && e.id !== undefined;
      throw halfDone(caught, done, changing.slice(made ? i + 1 : i), options);
    }
  }
  if (ctx.globals.json) {
    ctx.outJson({
      plan: planJson,
      applied: true,
      ...(Object.keys(secretFiles).length ? { secret_files: secretFiles } : {}),
    });
  } else {
    ctx.out(`\n${s.green('✓')} Applied: the project matches ${name}.\n`);
  }
}

async function create(
  api: ApiClient,
  d: DesiredWebhook,
  ctx: Context,
  secretDir: string | undefined,
  secretFiles: Record<string, string>,
  s: ReturnType<typeof style>,
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
    if (!ctx.globals.json)
      ctx.out(
        `${s.green('+')} Created ${escapeControl(w.id)} (${escapeControl(w.url)}); secret written to ${secretFiles[w.id]} (mode 0600)\n`,
      );
  } else {
    showSecret(ctx, w, 'Created');
  }
  // A file asking for a disabled webhook: created, then disabled (the API creates them enabled).
  if (!d.enabled) {
    await ctx.withSpinner(`Disabling ${w.id}…`, () => api.updateWebhook(w.id, { enabled: false }));
    if (!ctx.globals.json) ctx.out(`${s.yellow('~')} Disabled ${w.id}, as the file asks\n`);
  }
}

/** The error of a step, told with what was done before it and what was not. */
function halfDone(caught: unknown, done: string[], left: Step[], options: ApplyOptions): unknown {
  if (!(caught instanceof CliError)) return caught;
  const notDone = left.map((st) => `${st.entry.action} ${st.entry.id ?? st.entry.url}`);
  const Kind = caught.constructor as new (m: string, o: object) => CliError;
  return new Kind(
    `${caught.message}. Done before it: ${done.length ? done.join(', ') : 'nothing'}; not done: ${notDone.length ? notDone.join(', ') : 'nothing'}`,
    {
      hint: `Run the same \`anchor webhooks apply -f ${options.file}\` again to finish: it plans from what the project has now.${caught.hint ? ` ${caught.hint}` : ''}`,
      status: caught.status,
      cause: caught,
    },
  );
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  await runApply(input.flags<typeof applyCommand>(), ctx);
}
