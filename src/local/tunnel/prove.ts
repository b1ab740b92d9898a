// Proves that a tunnel's public URL reaches *this* listener: a GET of the listener's health path
// through the public URL, carrying the run's probe token, must be answered 200 AND be seen by this
// process's receiver (a tunnel pointing at another server that answers 200 to anything is not
// proof). Before registering, it is tried until a deadline (a new public name can take seconds to
// resolve); while listening, it is re-checked at an interval, and a break and a recovery are said once.
import { healthUrl } from '../listen-state.js';
import { noAnswer } from './no-answer.js';

/** How long the first proof may take (a quick tunnel's name can take seconds to be served). */
export const PROOF_DEADLINE_MS = 20_000;
/** One attempt's limit. */
const ATTEMPT_TIMEOUT_MS = 5000;
/** Between attempts that may succeed later (no answer yet, a 5xx of the tunnel's edge). */
const RETRY_PAUSE_MS = 500;
/** Re-checked this often while listening (ANCHOR_TUNNEL_RECHECK_MS shortens it, for the tests). */
export const RECHECK_INTERVAL_MS = 30_000;
/** A body is read this far, for a rate limit's "error code: 1015". */
const MAX_BODY_BYTES = 2048;

/** What the receiver's health path reports: how many times this run's token came in. */
export interface ProbeSeen {
  token: string;
  count: () => number;
}

export type Proof = { ok: true } | { ok: false; why: string; fix: string; retry: boolean };

const RATE_LIMITED = {
  why: 'the tunnel answered 429 (error 1015: Cloudflare rate-limits quick tunnels)',
  fix: 'Wait a few minutes and run it again, or use another --tunnel meanwhile.',
};
const ELSEWHERE_FIX =
  'The tunnel forwards to another port or server: check that it points at this listener (listen starts it with its own port), or that nothing else holds the public name.';

/** One attempt: a GET of the health path through the public URL. */
export async function checkTunnel(publicUrl: string, probe: ProbeSeen): Promise<Proof> {
  const before = probe.count();
  let res: Response;
  try {
    res = await fetch(healthUrl(publicUrl, probe.token), {
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      headers: { 'cache-control': 'no-store' },
    });
  } catch (err) {
    return { ok: false, ...noAnswer(err, publicUrl, ATTEMPT_TIMEOUT_MS) };
  }
  const body = await boundedText(res);
  if (res.status === 429 || /error code:? 1015/i.test(body)) return { ok: false, ...RATE_LIMITED, retry: false };
  if (res.status === 200 && probe.count() > before) return { ok: true };
  if (res.status === 200)
    return { ok: false, why: 'the public URL answered, but not from this listener', fix: ELSEWHERE_FIX, retry: false };
  // A tunnel whose local end is not up yet, or whose edge is not serving the name yet.
  if ([502, 503, 504, 530].includes(res.status))
    return {
      ok: false,
      why: `the tunnel answered ${res.status} (it did not reach this listener)`,
      fix: ELSEWHERE_FIX,
      retry: true,
    };
  return {
    ok: false,
    why: `the public URL answered ${res.status}, not this listener's health path`,
    fix: ELSEWHERE_FIX,
    retry: false,
  };
}

/** Tries until a proof, an answer that will not change, or the deadline; the last failure is returned. */
export async function proveTunnel(publicUrl: string, probe: ProbeSeen, deadlineMs = PROOF_DEADLINE_MS): Promise<Proof> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const proof = await checkTunnel(publicUrl, probe);
    if (proof.ok || !proof.retry || Date.now() + RETRY_PAUSE_MS > deadline) return proof;
    await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
  }
}

export interface TunnelWatch {
  stop: () => void;
}

/**
 * Re-checks at `intervalMs`; `onChange` is called once when the tunnel stops reaching the
 * listener (with why) and once when it is back, not at every check.
 */
export function watchTunnel(
  publicUrl: string,
  probe: ProbeSeen,
  intervalMs: number,
  onChange: (proof: Proof) => void,
): TunnelWatch {
  let healthy = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void checkTunnel(publicUrl, probe).then((proof) => {
        if (stopped) return;
        if (proof.ok !== healthy) {
          healthy = proof.ok;
          onChange(proof);
        }
        next();
      });
    }, intervalMs);
    // The watch never keeps listen alive by itself.
    timer.unref();
  };
  next();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** The start of a body, for a rate limit's text; the rest is dropped unread. */
async function boundedText(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut short: what came is enough.
  } finally {
    void reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8', 0, Math.min(size, MAX_BODY_BYTES));
}

/** The interval of the re-check: the constant, or a shorter one from ANCHOR_TUNNEL_RECHECK_MS (for the tests). */
export function recheckInterval(env: Record<string, string | undefined>): number {
  const n = Number(env.ANCHOR_TUNNEL_RECHECK_MS);
  return Number.isInteger(n) && n >= 50 && n <= RECHECK_INTERVAL_MS ? n : RECHECK_INTERVAL_MS;
}
