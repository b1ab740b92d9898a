// The secret a local-loop command signs with when it sends to the user's own app (`replay`,
// `events trigger`, `check-receiver`, the inspector, their MCP tools): the one given, else the
// profile's forwarding secret. Apart from inputs.ts so that `verify` and `sign`, which need an
// explicit secret, load neither the config nor the forwarding secret's checks.
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { profileName } from '../config/credentials.js';
import { existingForwardingSecret } from './forwarding-secret.js';
import { readGivenSecret } from './inputs.js';

/** The commands of the local loop that sign what they send with the forwarding secret when given none. */
export type LocalSigner = 'webhooks replay' | 'events trigger' | 'webhooks check-receiver';

/** A secret and where it came from, for a line that says so. */
export interface LocalSecret {
  secret: string;
  /** The forwarding secret's file, when that is where it came from. */
  forwardingPath?: string;
}

/** --secret-file, then ANCHOR_WEBHOOK_SECRET, then the profile's forwarding secret; undefined when none is. */
export async function findLocalSecret(ctx: Context, secretFile: string | undefined): Promise<LocalSecret | undefined> {
  const given = await readGivenSecret(ctx, secretFile);
  if (given) return { secret: given };
  const forwarding = existingForwardingSecret(ctx.env, profileName(ctx));
  if (!forwarding) return undefined;
  ctx.addSecret(forwarding.secret);
  return { secret: forwarding.secret, forwardingPath: forwarding.path };
}

/**
 * The profile's forwarding secret itself, for sending again what `listen --register` forwarded
 * (re-signed with it) exactly as the app received it; undefined when there is none.
 */
export function forwardingSecretOf(ctx: Context): string | undefined {
  const forwarding = existingForwardingSecret(ctx.env, profileName(ctx));
  if (forwarding) ctx.addSecret(forwarding.secret);
  return forwarding?.secret;
}

/**
 * The secret a local-loop command signs with: --secret-file, then ANCHOR_WEBHOOK_SECRET, then the
 * profile's forwarding secret if there is one (the one the app verifies `listen --register`'s
 * deliveries with). None is a usage error that says where each comes from; it never advises
 * rotating the webhook's secret, which would break the app's verification of real deliveries.
 */
export async function readLocalSecret(
  ctx: Context,
  secretFile: string | undefined,
  command: LocalSigner,
): Promise<LocalSecret> {
  const found = await findLocalSecret(ctx, secretFile);
  // Said, because a 401 from the app is then about this secret and not the one in the shell.
  if (found?.forwardingPath !== undefined)
    ctx.err(
      `Signing with the forwarding secret of profile "${profileName(ctx)}" (${found.forwardingPath}); --secret-file or ANCHOR_WEBHOOK_SECRET would take precedence.\n`,
    );
  if (found) return found;
  throw new UsageError('no webhook signing secret', {
    hint: `\`anchor ${command}\` signs with --secret-file <path> (or - for stdin), else ANCHOR_WEBHOOK_SECRET, else the local forwarding secret that \`listen --register\` forwards with, and there is none yet. Create it with \`anchor webhooks listen --print-secret\` and put what it prints in your app's .env, or pass the secret your app verifies with --secret-file.`,
  });
}
