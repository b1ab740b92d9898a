// `listen`'s side of the forwarding secret: --print-secret and --reset-secret (which exit without
// listening), the secret `listen --register` re-signs with, and how the messages name the command
// that prints it (with the profile, when it is not the default one).
import type { Context } from '../../../context.js';
import { profileName } from '../../../config/credentials.js';
import { DEFAULT_PROFILE } from '../../../config/store.js';
import { forwardingSecret, resetForwardingSecret } from '../../../local/forwarding-secret.js';
import { keepTemporarySecret, recentTemporarySecrets } from '../../../local/temporary-secrets.js';
import { style } from '../../../ui/format.js';

/** The command that prints this profile's forwarding secret, as the user would type it. */
export function printSecretCommand(ctx: Context): string {
  const profile = profileName(ctx);
  return `anchor${profile === DEFAULT_PROFILE ? '' : ` --profile ${profile}`} webhooks listen --print-secret`;
}

/**
 * --print-secret: the secret alone on stdout, newline-ended, for `$(…)` and .env files (minted if
 * there is none). --reset-secret: a new one, said on stderr; printed too with --print-secret.
 */
export function manageForwardingSecret(o: { print: boolean; reset: boolean }, ctx: Context): void {
  const profile = profileName(ctx);
  const e = style(ctx.colorStderr);
  const kept = o.reset ? resetForwardingSecret(ctx.env, profile) : forwardingSecret(ctx.env, profile);
  if (o.reset)
    ctx.err(
      `${e.yellow('!')} Minted a new forwarding secret for profile "${profile}" (${kept.path}, mode 0600). Your app's .env must get it: the old one no longer signs what listen forwards${o.print ? '' : `; print it with \`${printSecretCommand(ctx)}\``}.\n`,
    );
  else if (kept.minted) ctx.err(`Minted a forwarding secret for profile "${profile}" (${kept.path}, mode 0600).\n`);
  // Straight to the stream, past the redaction: printing it is the point, and the same value may
  // already be registered (an ANCHOR_WEBHOOK_SECRET set from this very output).
  if (o.print) ctx.io.stdout.write(`${kept.secret}\n`);
}

/**
 * The forwarding secret `listen --register` re-signs with, minted on first need and redacted from
 * everything written; a secret minted now is said, with how to give it to the app.
 */
export function forwardingSecretForListen(ctx: Context): string {
  const kept = forwardingSecret(ctx.env, profileName(ctx));
  ctx.addSecret(kept.secret);
  if (kept.minted)
    ctx.err(
      `${style(ctx.colorStderr).yellow('!')} Minted a forwarding secret for profile "${profileName(ctx)}" (${kept.path}, mode 0600): put it in your app's .env once, from \`${printSecretCommand(ctx)}\`.\n`,
    );
  return kept.secret;
}

/**
 * What `listen --register` verifies with: its temporary webhook's secret, then those of this
 * profile's runs of the last day (src/local/temporary-secrets.ts), whose deliveries in flight
 * Anchor still retries after the delete: after a restart on the same public URL, those retries
 * verify and reach the app instead of being refused. This run's secret is kept for the next ones.
 */
export function temporarySecrets(ctx: Context, current: string): string[] {
  const profile = profileName(ctx);
  const nowMs = ctx.now().getTime();
  const previous = recentTemporarySecrets(ctx.env, profile, nowMs).filter((s) => s !== current);
  for (const s of previous) ctx.addSecret(s);
  keepTemporarySecret(ctx.env, profile, current, nowMs);
  return [current, ...previous];
}
