// `listen --register`: a temporary webhook pointing at the user's public (tunnel) URL, whose secret
// the listener uses, deleted when it stops; and the leftovers of a run that could not clean up.
import { hostname } from 'node:os';
import type { Context } from '../../../context.js';
import type { ApiClient } from '../../../api/client.js';
import { CliError } from '../../../errors.js';
import { EVENT_TYPES } from '../../../core/events.js';
import { normalizeWebhookUrl } from '../../../core/url-rules.js';
import { escapeControl } from '../../../ui/format.js';
import { isTemporaryWebhook, TEMPORARY_MARK } from '../shared/temporary.js';

export { TEMPORARY_MARK };

export interface TemporaryWebhook {
  id: string;
  secret: string;
  api: ApiClient;
}

/**
 * Whether the listener that made a temporary webhook still runs on this machine (its description
 * names the host and pid): another terminal's `listen --register` is not a leftover to remove.
 */
function runningHere(description: string): boolean {
  const m = / on (\S+) pid (\d+) /.exec(description);
  if (!m || m[1] !== hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: another user's process has that pid now, so it is not that listener.
    return false;
  }
}

/** Offers to remove temporary webhooks left by a run that crashed before it could clean up. */
async function cleanUpLeftovers(ctx: Context, api: ApiClient): Promise<void> {
  const { webhooks } = await api.listWebhooks();
  const left = webhooks.filter((w) => isTemporaryWebhook(w) && !runningHere(w.description ?? ''));
  if (left.length === 0) return;
  const list = left.map((w) => `${escapeControl(w.id)} → ${escapeControl(w.url)}`).join(', ');
  if (!ctx.canPrompt) {
    ctx.err(
      `Note: ${left.length} temporary webhook(s) left by an earlier \`listen --register\` or \`--tunnel\`: ${list}. Remove them with \`anchor webhooks delete <id> --yes\`.\n`,
    );
    return;
  }
  const p = await ctx.prompter();
  if (
    await p.confirm(
      `Remove ${left.length} temporary webhook(s) left by an earlier run that did not clean up (${list})?`,
      '--yes',
      true,
    )
  ) {
    for (const w of left) await api.deleteWebhook(w.id);
    ctx.err(`Removed ${left.length} leftover webhook(s).\n`);
  }
}

/** Creates the temporary webhook (after offering to remove leftovers); its secret is redacted from output. */
export async function registerTemporaryWebhook(
  ctx: Context,
  publicUrl: string,
  events: readonly string[] | undefined,
): Promise<TemporaryWebhook> {
  const api = await ctx.api();
  await cleanUpLeftovers(ctx, api);
  const description = `${TEMPORARY_MARK} on ${hostname()} pid ${process.pid} since ${ctx.now().toISOString()}`;
  const created = await ctx.withSpinner('Registering a temporary webhook…', () =>
    api.createWebhook({
      url: normalizeWebhookUrl(publicUrl),
      subscribed_events: events ? [...events] : [...EVENT_TYPES],
      description,
    }),
  );
  ctx.addSecret(created.secret);
  return { id: created.id, secret: created.secret, api };
}

/** Deletes it when the listener could not start: said either way, never thrown (the start's error is). */
export async function dropTemporaryWebhook(ctx: Context, w: TemporaryWebhook): Promise<void> {
  await w.api.deleteWebhook(w.id).then(
    () => ctx.err(`Deleted the temporary webhook ${escapeControl(w.id)}.\n`),
    () =>
      ctx.err(
        `Could not delete the temporary webhook ${escapeControl(w.id)}: delete it with \`anchor webhooks delete ${escapeControl(w.id)} --yes\`.\n`,
      ),
  );
}

/** Deletes it when the listener stops; a failure is the run's error, with how to finish the job. */
export async function deleteTemporaryWebhook(ctx: Context, w: TemporaryWebhook): Promise<void> {
  try {
    await w.api.deleteWebhook(w.id);
    ctx.err(`Deleted the temporary webhook ${escapeControl(w.id)}.\n`);
  } catch (err) {
    throw new CliError(`could not delete the temporary webhook ${escapeControl(w.id)}: ${(err as Error).message}`, {
      hint: `Delete it with \`anchor webhooks delete ${escapeControl(w.id)} --yes\`; the next \`listen --register\` or \`--tunnel\` also offers to.`,
    });
  }
}
