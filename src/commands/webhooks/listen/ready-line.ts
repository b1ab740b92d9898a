// `listen`'s ready line: where it listens, what it does with what comes, and how it ends.
import type { Context } from '../../../context.js';
import type { RunningReceiver } from '../../../local/receiver-types.js';
import { escapeControl } from '../../../ui/format.js';
import { printSecretCommand } from './forwarding.js';
import { formatMs, type ListenOptions } from './options.js';
import { describeUntil, type UntilWatch } from './until.js';
import { usesPatterns } from '../../../local/forward-routes.js';

/** Where `listen` listens, what it does with what comes, and how it ends: one line, once ready. */
export function readyLine(
  ctx: Context,
  options: ListenOptions,
  receiver: RunningReceiver,
  /** The temporary webhook and where it delivers, when there is one. */
  registered: { id: string; url: string } | undefined,
  until: UntilWatch | undefined,
): string {
  const temporary = registered !== undefined;
  const waiting = until
    ? `; waiting for ${describeUntil(until.until)} (at most ${formatMs(until.until.timeoutMs)})`
    : '';
  const forwarding = options.routes.length
    ? `, forwarding to ${describeRoutes(options.routes)}${temporary ? ` signed with the forwarding secret (\`${printSecretCommand(ctx)}\` prints it for your app's .env)` : ''}`
    : '';
  const duplicates = options.dedupe
    ? options.routes.length
      ? 'dropped before the app'
      : 'acknowledged, not printed again'
    : options.routes.length
      ? 'forwarded to the app too (marked)'
      : 'printed again (marked)';
  return `Ready: listening on ${receiver.url}${forwarding}${registered ? `; temporary webhook ${escapeControl(registered.id)} delivers to ${escapeControl(registered.url)}` : ''}; duplicates: ${duplicates}${waiting}. Ctrl-C to stop.\n`;
}

/** The routes as the ready line says them: `task.* → http://…, otherwise → http://…`, or the one URL. */
function describeRoutes(routes: ListenOptions['routes']): string {
  if (!usesPatterns(routes)) return routes[0]!.url.toString();
  const each = routes.map((r) => `${r.pattern ?? 'otherwise'} → ${r.url}`);
  return `${each.join(', ')}${routes.some((r) => r.pattern === undefined) ? '' : ' (other types: not forwarded)'}`;
}
