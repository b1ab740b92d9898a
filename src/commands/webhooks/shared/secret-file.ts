// The once-only signing secret: --secret-file (a new 0600 file, checked before the request) and
// the display of the secret on stdout when there is no file.
import { closeSync, openSync, unlinkSync, writeSync, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Context } from '../../../context.js';
import { UsageError } from '../../../errors.js';
import { escapeControl, style } from '../../../ui/format.js';
import type { WebhookPublic, WebhookWithSecret } from '../../../api/schemas.js';

/** What a Ctrl-C during a create or rotate says: the request may have been processed already. */
export const MAY_HAVE_ARRIVED =
  'Interrupted. The request may already have reached the API, and its answer (with the secret) is lost: check with `anchor webhooks list`, and rotate the secret if the webhook is there.';

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
 * In GitHub Actions, the `::add-mask::` workflow command for a secret about to be printed, so the
 * runner masks it in the log. On stdout before the secret (the runner then reads them in order);
 * with --json on stderr, which the runner reads for commands too, so stdout stays one document.
 */
export function maskForGitHubActions(ctx: Context, secret: string): void {
  if (ctx.env.GITHUB_ACTIONS !== 'true') return;
  const line = `::add-mask::${secret}\n`;
  if (ctx.globals.json) ctx.err(line);
  else ctx.out(line);
}

export type SecretAction = 'Created' | 'Rotated the secret of';

/** What create and rotate-secret return (and --json prints): the webhook with its secret, or with the path of its file. */
export type SecretShown = WebhookWithSecret | (WebhookPublic & { secret_file: string });

/**
 * The once-only display of a signing secret: on stdout, set apart, with the copy-now warning on
 * stderr — or, with --secret-file, into the file and not printed at all.
 */
export function showSecret(ctx: Context, webhook: WebhookWithSecret, action: SecretAction, file?: SecretFile): void {
  const shown = keep(webhook, file);
  if (ctx.globals.json) {
    if (!file) maskForGitHubActions(ctx, webhook.secret);
    ctx.outJson(shown);
    warnAboutSecret(ctx, shown, action);
  } else renderSecret(shown, action, ctx);
}

/**
 * The run of create and rotate-secret: the secret into its file, if there is one; with --json, the
 * mask and the warnings now, since nothing is printed after the document. Returns what --json prints.
 */
export function keepSecret(
  ctx: Context,
  webhook: WebhookWithSecret,
  action: SecretAction,
  file?: SecretFile,
): SecretShown {
  const shown = keep(webhook, file);
  if (ctx.globals.json) {
    if (!file) maskForGitHubActions(ctx, webhook.secret);
    warnAboutSecret(ctx, shown, action);
  }
  return shown;
}

function keep(webhook: WebhookWithSecret, file: SecretFile | undefined): SecretShown {
  if (!file) return webhook;
  const { secret, ...pub } = webhook;
  file.write(secret);
  return { ...pub, secret_file: file.path };
}

/** The secret, for people: stdout shows it (or where it was written), stderr says what to do now. */
export function renderSecret(shown: SecretShown, action: SecretAction, ctx: Context): void {
  const s = style(ctx.colorStdout);
  if ('secret' in shown) maskForGitHubActions(ctx, shown.secret);
  ctx.out(`${s.green('✓')} ${action} webhook ${s.bold(escapeControl(shown.id))}\n`);
  ctx.out(`  URL:     ${escapeControl(shown.url)}\n  Events:  ${escapeControl(shown.subscribed_events.join(', '))}\n`);
  if ('secret' in shown) ctx.out(`\nSigning secret (shown once):\n\n    ${shown.secret}\n\n`);
  else ctx.out(`\nSigning secret written to ${shown.secret_file} (mode 0600); it is not shown here.\n`);
  warnAboutSecret(ctx, shown, action);
}

function warnAboutSecret(ctx: Context, shown: SecretShown, action: SecretAction): void {
  if ('secret' in shown) {
    const e = style(ctx.colorStderr);
    ctx.err(
      `${e.yellow('!')} Copy the signing secret now: Anchor never shows it again. If it is lost, mint a new one with \`anchor webhooks rotate-secret ${shown.id}\`.\n`,
    );
  }
  if (action === 'Rotated the secret of') {
    ctx.err(
      'The previous secret keeps signing deliveries for 24 hours, so you can deploy the new one without dropping events.\n',
    );
  }
}
