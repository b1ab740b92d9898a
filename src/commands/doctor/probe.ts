// One bounded request of doctor's to a URL that is not the API (a webhook's URL, a listener's
// health path): a deadline, a small read limit, and the failure said in a sentence.
import { send, TransportError } from '../../api/transport.js';
import { CHECK_DEADLINE_MS, MAX_PROBE_BYTES } from './report.js';

/** An answer (its status, and its body within the limit; none when it was larger), or why none came. */
export type ProbeResult =
  { ok: true; status: number; body?: Buffer } | { ok: false; why: string; kind: TransportError['kind'] };

export async function probe(
  method: 'GET' | 'HEAD',
  url: string,
  env: Record<string, string | undefined>,
): Promise<ProbeResult> {
  try {
    const res = await send({
      method,
      url: new URL(url),
      headers: { 'User-Agent': `anchor-cli/${__ANCHOR_VERSION__} doctor` },
      timeoutMs: CHECK_DEADLINE_MS,
      env,
      maxResponseBytes: MAX_PROBE_BYTES,
    });
    return { ok: true, status: res.status, body: res.body };
  } catch (e) {
    if (!(e instanceof TransportError)) throw e;
    // An answer larger than what is read is still an answer: the URL is reachable.
    if (e.kind === 'too_large') return { ok: true, status: 200 };
    return { ok: false, why: e.message, kind: e.kind };
  }
}

/** Whether a probe reached the listener whose token it carried: 200 and `{"ok":true}`. */
export function isHealthAnswer(r: ProbeResult): boolean {
  if (!r.ok || r.status !== 200 || r.body === undefined) return false;
  try {
    return (JSON.parse(r.body.toString('utf8')) as { ok?: unknown }).ok === true;
  } catch {
    return false;
  }
}

/** What a probe that missed its listener got instead, in a few words. */
export function missed(r: ProbeResult): string {
  return r.ok ? `answered ${r.status} instead of the listener's health answer` : r.why;
}
