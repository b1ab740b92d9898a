// doctor's webhook checks (with --webhook): whether Anchor may deliver to its URL and that URL
// resolves and answers from here (`webhook_url`), whether it is enabled and subscribed to the
// expected type (`webhook_state`), and what its newest deliveries came to (`deliveries`).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Context } from '../../context.js';
import { CliError, NotFoundError } from '../../errors.js';
import { ApiClient } from '../../api/client.js';
import type { DeliveryRow, WebhookPublic } from '../../api/schemas.js';
import { checkResolvedAddress, checkWebhookUrl } from '../../core/url-rules.js';
import { allowLocalTargets } from '../flags.js';
import { isHealthAnswer, probe } from './probe.js';
import { CHECK_DEADLINE_MS, DELIVERY_SAMPLE, failed, passed, skipped, type DoctorCheck } from './report.js';

/** One attempt each, within the check's deadline: a doctor reports a failure, it does not wait it out. */
export function doctorClient(ctx: Context, session: { baseUrl: string; key: string }): ApiClient {
  return new ApiClient(ctx, {
    ...session,
    timeoutMs: CHECK_DEADLINE_MS,
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
  });
}

/** The webhook, or the webhook_state failure that says why it could not be read. */
export async function fetchWebhook(api: ApiClient, id: string): Promise<WebhookPublic | DoctorCheck> {
  try {
    return await api.getWebhook(id);
  } catch (e) {
    if (e instanceof NotFoundError)
      return failed(
        'webhook_state',
        `no webhook ${id} in this project`,
        "If it was the temporary webhook of `anchor webhooks listen --register` or `--tunnel`, listen deleted it when it stopped: start listen again (it creates a new one, with a new id). Otherwise list the ids with `anchor webhooks list`, and check that the API key is the project's (`anchor auth status`).",
      );
    if (e instanceof CliError)
      return failed('webhook_state', `could not read webhook ${id}: ${e.message}`, e.hint ?? 'Try again.');
    throw e;
  }
}

export function webhookStateCheck(hook: WebhookPublic, event: string | undefined): DoctorCheck {
  const problems: string[] = [];
  const fixes: string[] = [];
  if (!hook.enabled) {
    problems.push('it is disabled: Anchor sends it nothing');
    fixes.push(`\`anchor webhooks enable ${hook.id}\``);
  }
  if (event !== undefined && !hook.subscribed_events.includes(event)) {
    problems.push(`it is not subscribed to ${event} (only ${hook.subscribed_events.join(', ')})`);
    fixes.push(`\`anchor webhooks update ${hook.id} --add-event ${event}\``);
  }
  if (problems.length)
    return failed('webhook_state', `webhook ${hook.id}: ${problems.join('; ')}`, `Run ${fixes.join(', then ')}.`);
  return passed('webhook_state', `enabled, subscribed to ${hook.subscribed_events.join(', ')}`);
}

const UPDATE_URL = (id: string) =>
  `Point the webhook at a public https:// URL that reaches your receiver: \`anchor webhooks update ${id} --url https://…\` (\`anchor webhooks listen --tunnel cloudflared\` gives this machine one).`;

/** The addresses `host` resolves to, within the deadline. */
async function resolve(host: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('no answer'), { code: 'ETIMEOUT' })), CHECK_DEADLINE_MS);
  });
  try {
    return (await Promise.race([lookup(host, { all: true }), deadline])).map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `healthUrl`: when a running listener serves the URL, its health path is asked instead of the
 * URL itself, so the doctor's own request is not recorded as a stranger's.
 */
export async function webhookUrlCheck(
  ctx: Context,
  hook: WebhookPublic,
  healthUrl: string | undefined,
): Promise<DoctorCheck> {
  const allowLocal = allowLocalTargets(undefined, ctx.env);
  const verdict = checkWebhookUrl(hook.url, { allowLocalTargets: allowLocal });
  if (!verdict.ok)
    return failed('webhook_url', `Anchor cannot deliver to ${hook.url}: ${verdict.message}`, UPDATE_URL(hook.id));
  const url = new URL(hook.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses = [host];
  if (isIP(host) === 0) {
    try {
      addresses = await resolve(host);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return failed(
        'webhook_url',
        code === 'ETIMEOUT'
          ? `resolving ${host} got no answer within ${CHECK_DEADLINE_MS / 1000} s`
          : `${host} does not resolve (${code ?? 'DNS error'})`,
        `Check the host name. A quick tunnel's URL changes each time it starts: ${UPDATE_URL(hook.id)}`,
      );
    }
  }
  if (!allowLocal)
    for (const address of addresses) {
      const v = checkResolvedAddress(address);
      if (!v.ok)
        return failed(
          'webhook_url',
          `${host} resolves to ${address}: ${v.message}; Anchor will not deliver there`,
          UPDATE_URL(hook.id),
        );
    }
  const reached = await probe(healthUrl ? 'GET' : 'HEAD', healthUrl ?? hook.url, ctx.env);
  const local =
    allowLocal && verdict.ok && checkWebhookUrl(hook.url).ok === false
      ? ' (a local target: only the emulator delivers there)'
      : '';
  // A gateway's error: the proxy or tunnel in front answers, what is behind it does not.
  if (reached.ok && (reached.status === 502 || reached.status === 504))
    return failed(
      'webhook_url',
      healthUrl
        ? `${hook.url} resolves (${addresses.slice(0, 3).join(', ')}), but answers ${reached.status}, not from the listen it names: see tunnel${local}`
        : `${hook.url} resolves (${addresses.slice(0, 3).join(', ')}), but answers ${reached.status} from here (HEAD): a proxy or tunnel answers, and what is behind it does not${local}`,
      healthUrl
        ? 'The tunnel or proxy in front no longer reaches the listener: see the fix of the tunnel check (restart listen with its --tunnel, or under --register point your tunnel at its port).'
        : 'Start again what the tunnel or proxy forwards to: `anchor webhooks listen` (a killed listen leaves its tunnel URL dead; a new listen makes a new temporary webhook), or your app.',
    );
  if (reached.ok) {
    // Any other answer proves the URL reachable; whether it reaches the listener is the tunnel check's.
    const who = healthUrl
      ? isHealthAnswer(reached)
        ? ' (the running listen it delivers to answered)'
        : ` (${reached.status}, not from the listen it names: see tunnel)`
      : ` (HEAD: ${reached.status})`;
    return passed(
      'webhook_url',
      `${hook.url} resolves (${addresses.slice(0, 3).join(', ')}) and answers from here${who}${local}`,
    );
  }
  return failed(
    'webhook_url',
    `${hook.url} does not answer from here: ${reached.why}`,
    reached.kind === 'refused'
      ? `Nothing listens at ${url.host}: start your receiver (or \`anchor webhooks listen\`), or ${UPDATE_URL(hook.id).replace(/^P/, 'p')}`
      : reached.kind === 'tls'
        ? "Anchor needs a certificate a public CA signed, for this host name: fix the server's TLS setup."
        : `Check that your receiver runs and that nothing (a firewall, a stopped tunnel) is in the way. ${UPDATE_URL(hook.id)}`,
  );
}

function summary(rows: readonly DeliveryRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const order = ['succeeded', 'failed', 'dead', 'pending', 'in_flight'];
  return `last ${rows.length}: ${order
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${s.replace('_', ' ')}`)
    .join(', ')}`;
}

/** Who answers at the webhook's URL, when doctor knows: a running listen, or one that is gone. */
export type UrlServer = 'listen' | 'gone listen' | undefined;

function failureFix(row: DeliveryRow, id: string, server: UrlServer): string {
  const s = row.response_status ?? 0;
  // listen answers 502 when it could not reach the app behind it, 504 when the app was too slow.
  if ((s === 502 || s === 504) && server === 'listen')
    return `listen answered ${s} because ${s === 502 ? 'it could not reach your app' : 'your app did not answer in time'} (see app): start or fix your app, then send a test with \`anchor webhooks test ${id} --event ${row.event_type}\`.`;
  if ((s === 502 || s === 504) && server === 'gone listen')
    return `The listen that served this URL no longer runs, and its tunnel answers ${s} (see listener): start \`anchor webhooks listen\` again.`;
  if (s === 401 || s === 403)
    return 'Your receiver refused the signature: check its secret (`anchor doctor --secret-file <file>`) and that it verifies the raw body (`anchor webhooks check-receiver <url>`).';
  if (s >= 400 && s < 500)
    return `Your receiver answered ${s}: see what it expects with \`anchor webhooks check-receiver <url>\`; send a test with \`anchor webhooks test ${id} --event ${row.event_type}\`.`;
  if (s >= 500)
    return `Your receiver failed (${s}): see its logs, fix it, then send a test with \`anchor webhooks test ${id} --event ${row.event_type}\`.`;
  return 'Anchor could not reach your receiver (see webhook_url above); a receiver must answer within 10 s: answer first, work after.';
}

export async function deliveriesCheck(api: ApiClient, hook: WebhookPublic, server: UrlServer): Promise<DoctorCheck> {
  let rows: DeliveryRow[];
  try {
    rows = (await api.listDeliveries(hook.id, { limit: DELIVERY_SAMPLE })).events;
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    return failed('deliveries', `could not read the delivery log: ${e.message}`, e.hint ?? 'Try again.');
  }
  if (rows.length === 0)
    return skipped(
      'deliveries',
      `no deliveries in the last 7 days; send one with \`anchor webhooks test ${hook.id} --event ${hook.subscribed_events[0] ?? 'task.completed'}\``,
    );
  const newest = rows[0]!;
  const erred =
    newest.status === 'failed' ||
    newest.status === 'dead' ||
    (newest.status === 'pending' && newest.attempt > 0 && !!(newest.error_message || newest.response_status));
  if (!erred) return passed('deliveries', `${summary(rows)}; the newest ${newest.status.replace('_', ' ')}`);
  const fromListen =
    server === 'listen' && (newest.response_status === 502 || newest.response_status === 504)
      ? ' from listen, for the app behind it'
      : '';
  const what = newest.response_status
    ? `answered ${newest.response_status}${fromListen}`
    : (newest.error_message?.slice(0, 300) ?? 'no answer');
  return failed(
    'deliveries',
    `${summary(rows)}; the newest (${newest.event_type}, ${newest.external_event_id}) ${newest.status === 'pending' ? 'is being retried' : newest.status} after ${newest.attempt} attempt${newest.attempt === 1 ? '' : 's'}: ${what}${newest.response_status && newest.error_message ? ` (${newest.error_message})` : ''}`,
    failureFix(newest, hook.id, server),
  );
}
