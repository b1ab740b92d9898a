// What the webhook commands share: event and URL flags checked with the API's own rules, the
// once-only secret display, --secret-file, --dry-run output and the webhook printers.
import { closeSync, openSync, unlinkSync, writeSync, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Context } from '../../context.js';
import { UsageError } from '../../errors.js';
import { EVENT_TYPES, isEventType } from '../../core/events.js';
import { checkWebhookUrl, checkDescription } from '../../core/url-rules.js';
import { didYouMean } from '../../lib/suggest.js';
import {
  escapeControl,
  relativeTime,
  style,
  table,
  terminalCellWidth,
  tsv,
  usableColumns,
  type Column,
} from '../../ui/format.js';
import type { WebhookPublic } from '../../api/schemas.js';
import type { DescribedRequest } from '../../api/client.js';

/** What a Ctrl-C during a create or rotate says: the request may have been processed already. */
export const MAY_HAVE_ARRIVED =
  'Interrupted. The request may already have reached the API, and its answer (with the secret) is lost: check with `anchor webhooks list`, and rotate the secret if the webhook is there.';

/** `--event a --event b,c` → [a, b, c], trimmed, de-duplicated, order kept. */
export function splitEvents(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const v of values ?? [])
    for (const part of v.split(',')) if (part.trim() && !out.includes(part.trim())) out.push(part.trim());
  return out;
}

export function checkEventsFlag(events: readonly string[], flag: string): void {
  for (const e of events) {
    if (!isEventType(e)) {
      throw new UsageError(`invalid ${flag} "${e}": not an Anchor event type.${didYouMean(e, EVENT_TYPES)}`, {
        hint: 'See every type with `anchor events list`.',
      });
    }
  }
}

/** A single event-type argument or flag (`label`, e.g. "--event"): present and in the catalog. */
export function requireEventType(type: string | undefined, label: string, usage?: string): string {
  if (!type) throw new UsageError(`missing ${label}`, { hint: usage ?? 'See every type with `anchor events list`.' });
  checkEventsFlag([type], label);
  return type;
}

export function allowLocalTargets(flag: boolean | undefined, env: Record<string, string | undefined>): boolean {
  return flag === true || env.ANCHOR_ALLOW_LOCAL_TARGETS === '1' || env.ANCHOR_ALLOW_LOCAL_TARGETS === 'true';
}

export function checkUrlFlag(url: string, allowLocal: boolean, flag = '--url'): void {
  const v = checkWebhookUrl(url, { allowLocalTargets: allowLocal });
  if (v.ok) return;
  const hints: Partial<Record<typeof v.rule, string>> = {
    scheme: 'Anchor delivers only over https://. For a local receiver behind the emulator, pass --allow-local-targets.',
    loopback:
      'Anchor cannot reach your machine. Use a public tunnel URL, `anchor webhooks listen`, or the emulator with --allow-local-targets.',
    private: 'Anchor delivers only to public addresses. For local testing use the emulator with --allow-local-targets.',
    link_local: 'Anchor delivers only to public addresses.',
    credentials: 'Remove user:pass@ from the URL; verify the Anchor-Signature header in your handler instead.',
    too_long: 'Shorten the URL to at most 2048 characters.',
  };
  throw new UsageError(`invalid ${flag}: ${v.message}`, { hint: hints[v.rule] });
}

export function checkDescriptionFlag(description: string | undefined): void {
  if (description === undefined) return;
  const v = checkDescription(description);
  if (!v.ok) throw new UsageError(`invalid --description: ${v.message}`);
}

/** --dry-run: the request as it would be sent, key redacted; nothing is sent. */
export function printDryRun(ctx: Context, req: DescribedRequest): void {
  if (ctx.globals.json) {
    ctx.outJson(req);
    return;
  }
  const s = style(ctx.colorStdout);
  ctx.out(`${s.bold(`${req.method} ${req.url}`)}\n`);
  for (const [k, v] of Object.entries(req.headers)) ctx.out(`${k}: ${v}\n`);
  if (req.body !== null) ctx.out(`\n${JSON.stringify(req.body, null, 2)}\n`);
  ctx.err(`${s.dim('Dry run: nothing was sent.')}\n`);
}

/**
 * A --secret-file target: created empty, exclusively and with mode 0600 before the request, so an
 * existing file is never overwritten and a bad path fails before a webhook or secret exists.
 */
export class SecretFile {
  private fd: number | undefined;
  readonly path: string;

  private constructor(path: string) {
    this.path = path;
  }

  static check(path: string): string {
    if (path === '')
      throw new UsageError('invalid --secret-file "": give a file path', {
        hint: 'For example: --secret-file ./anchor-secret (a new file, mode 0600).',
      });
    const abs = resolve(path);
    if (existsSync(abs)) {
      throw new UsageError(`invalid --secret-file: ${path} already exists, and a secret file is never overwritten`, {
        hint: 'Choose a new path, or move the old file away first.',
      });
    }
    const dir = dirname(abs);
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new UsageError(`invalid --secret-file: the folder ${dir} does not exist`);
    }
    return abs;
  }

  static open(path: string): SecretFile {
    const f = new SecretFile(SecretFile.check(path));
    try {
      f.fd = openSync(f.path, 'wx', 0o600);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`invalid --secret-file: cannot create ${path} (${code})`, {
        hint:
          code === 'EEXIST'
            ? 'A secret file is never overwritten; choose a new path.'
            : 'Check the folder exists and is writable.',
      });
    }
    return f;
  }

  write(secret: string): void {
    // Exactly the secret, no newline: readFileSync(path, 'utf8') is the key.
    writeSync(this.fd!, secret);
    closeSync(this.fd!);
    this.fd = undefined;
  }

  /** The request failed: remove the empty file we made. */
  abandon(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}

/**
 * The once-only display of a signing secret: on stdout, set apart, with the copy-now warning on
 * stderr — or, with --secret-file, into the file and not printed at all.
 */
export function showSecret(
  ctx: Context,
  webhook: WebhookPublic & { secret: string },
  action: 'Created' | 'Rotated the secret of',
  file?: SecretFile,
): void {
  const { secret, ...pub } = webhook;
  if (file) file.write(secret);
  if (ctx.globals.json) {
    ctx.outJson(file ? { ...pub, secret_file: file.path } : webhook);
  } else {
    const s = style(ctx.colorStdout);
    ctx.out(`${s.green('✓')} ${action} webhook ${s.bold(escapeControl(pub.id))}\n`);
    ctx.out(`  URL:     ${escapeControl(pub.url)}\n  Events:  ${escapeControl(pub.subscribed_events.join(', '))}\n`);
    if (file) {
      ctx.out(`\nSigning secret written to ${file.path} (mode 0600); it is not shown here.\n`);
    } else {
      ctx.out(`\nSigning secret (shown once):\n\n    ${secret}\n\n`);
    }
  }
  if (!file) {
    const e = style(ctx.colorStderr);
    ctx.err(
      `${e.yellow('!')} Copy the signing secret now: Anchor never shows it again. If it is lost, mint a new one with \`anchor webhooks rotate-secret ${pub.id}\`.\n`,
    );
  }
  if (action === 'Rotated the secret of') {
    ctx.err(
      'The previous secret keeps signing deliveries for 24 hours, so you can deploy the new one without dropping events.\n',
    );
  }
}

export function printWebhook(ctx: Context, w: WebhookPublic): void {
  if (ctx.globals.json) {
    ctx.outJson(w);
    return;
  }
  const s = style(ctx.colorStdout);
  const when = (iso: string | null) =>
    iso ? escapeControl(ctx.humanTTY ? `${iso} (${relativeTime(iso, ctx.now())})` : iso) : '-';
  const state = w.enabled ? s.green('enabled') : s.yellow('disabled');
  // Everything here came from the API: someone else's text, escaped before it reaches a terminal.
  const e = escapeControl;
  ctx.out(
    [
      `${s.bold(e(w.id))}  ${state}`,
      `URL:          ${e(w.url)}`,
      `Events:       ${e(w.subscribed_events.join(', '))}`,
      `Description:  ${e(w.description ?? '-')}`,
      `Project:      ${e(w.project_id)}`,
      `Created:      ${when(w.created_at)}`,
      `Updated:      ${when(w.updated_at)}`,
    ].join('\n') + '\n',
  );
}

export const WEBHOOK_COLUMNS: Column[] = [
  { header: 'ID' },
  { header: 'URL', free: true },
  { header: 'EVENTS', free: true },
  { header: 'STATE' },
  { header: 'DESCRIPTION', free: true },
  { header: 'CREATED' },
];

export async function printWebhookList(ctx: Context, webhooks: WebhookPublic[]): Promise<void> {
  if (ctx.globals.json) {
    ctx.outJson(webhooks);
    return;
  }
  if (webhooks.length === 0) {
    ctx.err('No webhooks yet. Create one with `anchor webhooks create --url https://… --event task.completed`.\n');
    return;
  }
  if (!ctx.humanTTY) {
    ctx.out(
      tsv(
        webhooks.map((w) => [
          w.id,
          w.url,
          w.subscribed_events.join(','),
          w.enabled ? 'enabled' : 'disabled',
          w.description ?? '',
          w.created_at ?? '',
        ]),
      ),
    );
    return;
  }
  const s = style(ctx.colorStdout);
  const e = escapeControl;
  const rows = webhooks.map((w) => [
    e(w.id),
    e(w.url),
    e(w.subscribed_events.join(', ')),
    w.enabled ? s.green('enabled') : s.yellow('disabled'),
    e(w.description ?? ''),
    e(relativeTime(w.created_at, ctx.now())),
  ]);
  ctx.out(
    table(WEBHOOK_COLUMNS, rows, s, {
      width: await terminalCellWidth(),
      maxWidth: usableColumns(ctx.io.stdout.columns),
    }),
  );
}
