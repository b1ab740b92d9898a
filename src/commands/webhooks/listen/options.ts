// What `listen` makes of its typed flags beyond their own parsers: the checks that read another
// flag or the environment, and the --until and --backfill settings gathered in one place each.
import { UsageError } from '../../../errors.js';
import { parseAssignment, type Assignment } from '../../../local/set-path.js';
import { allowLocalTargets, checkEventsFlag, checkUrlFlag } from '../../flags.js';
import type { FlagValues } from '../../spec.js';
import type { listenCommand } from './decl.js';
import type { ForwardRoute } from '../../../local/forward-routes.js';
import { checkRegisterTarget, checkRoutes } from './routes.js';
import { DEFAULT_SSH_TUNNEL_HOST, parseTunnelHost, type SshTarget } from '../../../local/tunnel/ssh.js';

/** How long --until waits unless --wait-timeout says otherwise. */
export const DEFAULT_UNTIL_TIMEOUT_MS = 10 * 60_000;

/** --until: the event type that ends the wait, the fields it must have, and the deadline. */
export interface Until {
  type: string;
  match: Assignment[];
  timeoutMs: number;
}

type ListenFlags = FlagValues<typeof listenCommand>;

/** --tunnel <provider> (with --tunnel-host for ssh) or --tunnel-cmd: what listen starts. */
export type TunnelSpec =
  { provider: 'cloudflared' | 'ngrok' } | { provider: 'ssh'; target: SshTarget } | { provider: 'cmd'; command: string };

export type ListenOptions = Omit<
  ListenFlags,
  | 'until'
  | 'match'
  | 'waitTimeout'
  | 'webhook'
  | 'backfill'
  | 'allowLocalTargets'
  | 'inspect'
  | 'printSecret'
  | 'resetSecret'
  | 'forwardTo'
  | 'forwardTimeout'
  | 'tunnel'
  | 'tunnelHost'
  | 'tunnelCmd'
> & {
  /** Every --forward-to, in the order given (routes by type and the default). */
  routes: ForwardRoute[];
  /** The --forward-to without a type pattern (the default route), if any. */
  forwardTo?: URL;
  /** --forward-timeout: how long the app may take to answer. */
  forwardTimeoutMs?: number;
  tunnel?: TunnelSpec;
  /** --allow-local-targets (or its variable): a tunnel's http:// or local URL is registered too. */
  allowLocal?: boolean;
  until?: Until;
  /** --inspect: the port of the inspector page. */
  inspect?: number;
  /** --webhook <id> --backfill <dur>. */
  backfill?: { webhookId: string; windowMs: number };
};

export function listenOptions(o: ListenFlags, env: Record<string, string | undefined>): ListenOptions {
  const path = o.path;
  if (!path.startsWith('/')) throw new UsageError(`invalid --path "${path}": it must start with /`);
  const events = o.events;
  if (events) {
    if (events.length === 0) throw new UsageError('invalid --events: give at least one event type');
    checkEventsFlag(events, '--events');
  }
  // The pairwise rules (--register and --secret-file, --backfill and --webhook, …) are in the
  // declaration and were checked as the flags were parsed.
  checkRoutes(o.forwardTo);
  // Before the URL rules: with the app's own http://localhost URL, --allow-local-targets is not the fix.
  checkRegisterTarget(o.register, o.forwardTo);
  const allowLocal = allowLocalTargets(o.allowLocalTargets, env);
  if (o.register !== undefined) checkUrlFlag(o.register, allowLocal, '--register');
  const tunnel = tunnelSpec(o);
  if (o.allowLocalTargets && o.register === undefined && tunnel === undefined)
    throw new UsageError(
      '--allow-local-targets goes with --register, --tunnel or --tunnel-cmd (it lifts the URL rules for the webhook it creates)',
    );
  const backfill =
    o.webhook !== undefined && o.backfill !== undefined ? { webhookId: o.webhook, windowMs: o.backfill } : undefined;
  let until: Until | undefined;
  if (o.until !== undefined) {
    checkEventsFlag([o.until], '--until');
    if (events && !events.includes(o.until))
      throw new UsageError(`--until ${o.until} would never come: it is not in --events`);
    const match = o.match.map((raw) => {
      const a = parseAssignment(raw);
      if (typeof a === 'string') throw new UsageError(`invalid --match "${raw}": ${a}`);
      return a;
    });
    until = { type: o.until, match, timeoutMs: o.waitTimeout ?? DEFAULT_UNTIL_TIMEOUT_MS };
  }
  return {
    port: o.port,
    host: o.host,
    path,
    events,
    routes: o.forwardTo,
    forwardTo: o.forwardTo.find((r) => r.pattern === undefined)?.url,
    ...(o.forwardTimeout !== undefined ? { forwardTimeoutMs: o.forwardTimeout } : {}),
    printResponse: o.printResponse,
    register: o.register,
    ...(tunnel ? { tunnel, allowLocal } : {}),
    secretFile: o.secretFile,
    ...(until ? { until } : {}),
    readyFile: o.readyFile,
    record: o.record,
    dedupe: o.dedupe,
    ...(o.inspect !== undefined ? { inspect: o.inspect } : {}),
    ...(backfill ? { backfill } : {}),
  };
}

function tunnelSpec(o: ListenFlags): TunnelSpec | undefined {
  if (o.tunnelCmd !== undefined) return { provider: 'cmd', command: o.tunnelCmd };
  if (o.tunnel === undefined) return undefined;
  if (o.tunnel !== 'ssh') {
    if (o.tunnelHost !== undefined)
      throw new UsageError(`--tunnel-host goes with --tunnel ssh; ${o.tunnel} picks its own host`);
    return { provider: o.tunnel };
  }
  return { provider: 'ssh', target: parseTunnelHost(o.tunnelHost ?? DEFAULT_SSH_TUNNEL_HOST) };
}

/** A window or deadline as the messages say it: 2h, 10m, 90s. */
export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 100) / 10}s`;
}
