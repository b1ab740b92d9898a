// create_webhook's guard against a twin: a client that timed out and retries, or an agent that
// forgot what it made, would otherwise create a second webhook with the same URL and events (two
// deliveries of every event, two secrets). An MCP rule only: the command line creates as asked.
import { existsSync } from 'node:fs';
import { splitList } from '../commands/flag-builders.js';
import { fileForId } from '../lib/safe-name.js';
import { at, isRecord } from './read.js';
import type { ToolArgs, ToolContext } from './tool-input.js';

/** A URL as the API compares it (scheme and host in lower case, a default port dropped). */
function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

const eventSet = (events: unknown): string =>
  Array.isArray(events) ? splitList(events.map(String)).sort().join(',') : '';

/**
 * The arguments as they are, or a refusal naming the webhook that already has this URL and these
 * events. When the project's webhooks cannot be read, create goes on and says why it fails.
 */
export async function refuseTwin(args: ToolArgs, ctx: ToolContext): Promise<ToolArgs | string> {
  if (args.allow_duplicate === true || !ctx.run || typeof args.url !== 'string') return args;
  let hooks: unknown;
  try {
    hooks = await ctx.run('webhooks list', {});
  } catch {
    return args;
  }
  const wanted = eventSet(args.events);
  const twin = (Array.isArray(hooks) ? hooks : []).find(
    (h) =>
      isRecord(h) &&
      typeof h.url === 'string' &&
      sameUrl(h.url, args.url as string) &&
      eventSet(h.subscribed_events) === wanted,
  );
  if (!isRecord(twin)) return args;
  const id = String(at(twin, 'id'));
  const file = ctx.secretDir === undefined ? undefined : fileForId(ctx.secretDir, id, '.secret');
  const secret =
    file && existsSync(file)
      ? ` Its signing secret is in ${file} (written when this server created it).`
      : " Its secret is not in this server's secret folder (it was created elsewhere); rotate_webhook_secret would mint a new one, with confirm: true.";
  return `not created: webhook ${id} already sends ${wanted.replace(/,/g, ', ')} to ${String(twin.url)}${twin.enabled === false ? ' (it is disabled: update_webhook with enabled: true turns it back on)' : ''}. A retry after a timeout may have created it: use it (get_webhook with id ${JSON.stringify(id)} shows it).${secret} To create a second webhook with the same url and events anyway, call create_webhook again with allow_duplicate: true.`;
}
