// doctor's first three checks from one request to the API: whether the key is accepted (`key`),
// whether the API answers at all (`api`), and how far this machine's clock is from the API's
// `Date` header (`clock`): a receiver refuses a signature whose timestamp is more than the
// freshness window away from its own clock, so a skewed clock breaks every delivery.
import type { Context } from '../../context.js';
import { CliError } from '../../errors.js';
import { findCredentials, resolveApiUrl } from '../../config/credentials.js';
import { isLoopbackHost, send, TransportError, type HttpResponse } from '../../api/transport.js';
import { requestHeaders, requestUrl, type RequestSpec } from '../../api/request-description.js';
import { apiMessage } from '../../api/responses.js';
import { REPLAY_WINDOW_SECONDS } from '../../core/signature.js';
import { CHECK_DEADLINE_MS, failed, MAX_ANSWER_BYTES, passed, skipped, type DoctorCheck } from './report.js';

/** What the API checks found, and what the webhook's checks need from them. */
export interface ApiChecks {
  key: DoctorCheck;
  api: DoctorCheck;
  clock: DoctorCheck;
  /** The URL and key to ask further questions with, when the key was accepted. */
  session?: { baseUrl: string; key: string };
}

const LOGIN_FIX =
  'Run `anchor auth login` (or set ANCHOR_API_KEY); create a key at https://app.anchorbrowser.io under API Access.';
const NO_KEY = failed('key', 'no API key: not in ANCHOR_API_KEY nor stored for this profile', LOGIN_FIX);
/** A cheap authenticated call: the project's webhooks (at most 5). */
const PROBE: RequestSpec = { method: 'GET', path: '/v1/webhooks' };

const clockFix = (ahead: boolean) =>
  `Set this machine's clock right: turn on network time (Linux: \`sudo timedatectl set-ntp true\`; macOS: \`sudo sntp -sS time.apple.com\`; Windows: \`w32tm /resync\`). Its clock is ${ahead ? 'ahead of' : 'behind'} the API's, so every signature looks ${ahead ? 'old' : 'from the future'} to a receiver on this machine.`;

/** The clock check from the API's Date header and the local times around the request. */
export function clockCheck(dateHeader: string | undefined, sentMs: number, receivedMs: number): DoctorCheck {
  const apiMs = dateHeader === undefined ? NaN : Date.parse(dateHeader);
  if (Number.isNaN(apiMs)) return skipped('clock', 'the API sent no readable Date header to compare with');
  // The Date header has whole seconds; the middle of the exchange is the best guess of when it was made.
  const offset = Math.round(((sentMs + receivedMs) / 2 - apiMs) / 1000);
  const shown = `${offset > 0 ? '+' : ''}${offset} s`;
  if (Math.abs(offset) <= REPLAY_WINDOW_SECONDS)
    return passed('clock', `${shown} from the API's clock (signatures allow ${REPLAY_WINDOW_SECONDS} s)`);
  return failed(
    'clock',
    `this machine's clock is ${shown} from the API's, more than the ${REPLAY_WINDOW_SECONDS} s a signature's timestamp may be off`,
    clockFix(offset > 0),
  );
}

function fromAnswer(res: HttpResponse, where: string, keySource: string | undefined): Omit<ApiChecks, 'clock'> {
  const message = apiMessage(res);
  const said = message ? `: ${message.slice(0, 200)}` : '';
  if (res.status >= 500 || res.status === 429)
    return {
      api: failed(
        'api',
        `${where} answered ${res.status}${said}`,
        'A problem on the API side (or a proxy in front of it): try again in a little while; check the URL with `anchor config get api-url`.',
      ),
      key: skipped('key', 'the API could not say whether the key is valid'),
    };
  const api = passed('api', `${where} answers`);
  if (keySource === undefined) return { api, key: NO_KEY };
  if (res.status === 401 || res.status === 403)
    return {
      api,
      key: failed(
        'key',
        `the API refused the key from ${keySource} (${res.status})${said}`,
        `The key is wrong, revoked or for another API URL. ${LOGIN_FIX}`,
      ),
    };
  if (res.status >= 200 && res.status < 300)
    return { api, key: passed('key', `the key from ${keySource} is accepted`) };
  return {
    api,
    key: failed(
      'key',
      `listing webhooks with the key from ${keySource} got ${res.status}${said}`,
      'Check that the API URL points at the Anchor API: `anchor config get api-url`, ANCHOR_API_URL.',
    ),
  };
}

export async function runApiChecks(ctx: Context): Promise<ApiChecks> {
  let baseUrl: string;
  let source: string;
  let key: string | undefined;
  let keySource: string | undefined;
  try {
    ({ url: baseUrl, source } = await resolveApiUrl(ctx));
    const creds = await findCredentials(ctx);
    key = creds?.key;
    keySource = creds?.source;
    ctx.addSecret(key);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    const notRun = 'the API URL or key could not be read';
    const isKey = /API key/.test(e.message);
    return {
      key: isKey ? failed('key', e.message, e.hint ?? LOGIN_FIX) : skipped('key', notRun),
      api: isKey ? skipped('api', notRun) : failed('api', e.message, e.hint ?? 'Fix the API URL.'),
      clock: skipped('clock', notRun),
    };
  }
  const url = requestUrl(baseUrl, PROBE);
  const where = `${url.origin} (from ${source})`;
  // The client's own rule: the key never travels over plain http:// to another machine.
  const plain = url.protocol === 'http:' && !isLoopbackHost(url.hostname);
  const headers = requestHeaders(PROBE, key !== undefined && !plain ? key : '');
  if (key === undefined || plain) delete headers['anchor-api-key'];
  const sentMs = ctx.now().getTime();
  let res: HttpResponse;
  try {
    res = await send({
      method: PROBE.method,
      url,
      headers,
      timeoutMs: CHECK_DEADLINE_MS,
      env: ctx.env,
      maxResponseBytes: MAX_ANSWER_BYTES,
    });
  } catch (e) {
    if (!(e instanceof TransportError)) throw e;
    return {
      api: failed(
        'api',
        `${where}: ${e.message}`,
        e.kind === 'dns' || e.kind === 'refused'
          ? `Check the API URL (\`anchor config get api-url\`, ANCHOR_API_URL) and your network; for the emulator, start \`anchor emulator\`.`
          : 'Check your network connection and proxy settings (HTTPS_PROXY, NO_PROXY), then try again.',
      ),
      key: keySource === undefined ? NO_KEY : skipped('key', 'the API did not answer'),
      clock: skipped('clock', 'the API did not answer'),
    };
  }
  const clock = clockCheck(res.headers.date, sentMs, ctx.now().getTime());
  if (plain)
    return {
      api: passed('api', `${where} answers`),
      key: failed(
        'key',
        `not sent: ${url.origin} is plain http:// to another machine, which would expose the key`,
        'Use an https:// API URL; plain http:// is for a loopback address such as the emulator.',
      ),
      clock,
    };
  const checks = fromAnswer(res, where, keySource);
  return checks.key.ok && !checks.key.skipped
    ? { ...checks, clock, session: { baseUrl, key: key! } }
    : { ...checks, clock };
}
