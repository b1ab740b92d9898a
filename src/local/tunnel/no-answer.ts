// Why a request through a tunnel's public URL got no answer, in words, with the fix that fits the
// cause: fetch says only "fetch failed" (a TypeError); the cause it carries (a system error code,
// an OpenSSL code, undici's own) is what the user can act on. A cause that cannot change within
// the proof's deadline (nothing listens there, TLS refused, a port fetch will not use) is not retried.
import { escapeControl } from '../../ui/format.js';

/** What the proof reports for a request that got no HTTP answer. */
export interface NoAnswer {
  why: string;
  fix: string;
  retry: boolean;
}

const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_(GET|VERIFY)_|HOSTNAME_MISMATCH)/;

/**
 * The system or library code of a fetch failure (an AggregateError of several addresses: the
 * first). Node's fetch carries it as the error's cause; Bun's (the single executable) on the error.
 */
function causeOf(err: unknown): { code?: string; message: string; name: string } {
  const e = err as { name?: string; message?: string; cause?: unknown; code?: unknown };
  const cause = (e.cause ?? (typeof e.code === 'string' ? e : undefined)) as
    { code?: unknown; message?: unknown; errors?: unknown[] } | undefined;
  const inner = Array.isArray(cause?.errors) ? (cause.errors[0] as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : typeof inner?.code === 'string' ? inner.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : String(e.message ?? '');
  return { ...(code !== undefined ? { code } : {}), message, name: String(e.name ?? 'Error') };
}

/** The cause of a failed fetch of `url` (a tunnel's public URL), said for a person. */
export function noAnswer(err: unknown, url: string, timeoutMs: number): NoAnswer {
  const u = new URL(url);
  const where = u.host;
  const { code, message, name } = causeOf(err);
  if (name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT')
    return {
      why: `no answer from ${where} within ${timeoutMs / 1000}s`,
      fix: 'Check that the tunnel program still runs and that your network (proxy, firewall) lets it through.',
      retry: true,
    };
  if (code === 'ECONNREFUSED')
    return {
      why: `nothing accepts connections at ${where} (connection refused)`,
      fix: "The URL is not the tunnel's public one: check what the program prints (a command that prints its local address first needs its output filtered, e.g. `| grep https`).",
      retry: false,
    };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return {
      why: `the name ${u.hostname} does not resolve (${code === 'EAI_AGAIN' ? 'DNS lookup failed for now' : 'no such host'})`,
      fix: "Check the URL the tunnel printed and your DNS; a new quick tunnel's name can take a minute to resolve, so run it again if it was just made.",
      retry: true,
    };
  if (code !== undefined && TLS_CODE.test(code))
    return {
      why: `the TLS handshake with ${where} failed (${code})`,
      fix: `${u.protocol === 'https:' ? `If the server there speaks plain HTTP, its URL is http://${where}; if` : 'If'} it is a tunnel with its own certificate, the certificate must be one this machine trusts.`,
      retry: false,
    };
  if (/bad port/i.test(message))
    return {
      why: `port ${u.port} is one that fetch refuses to connect to (a blocked port)`,
      fix: 'Have the tunnel serve on another port (443 for https://, 80 for http://).',
      retry: false,
    };
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE')
    return {
      why: `the connection to ${where} was closed before an answer (${code})`,
      fix: 'Check the tunnel program and your network (a proxy or firewall may cut it).',
      retry: true,
    };
  return {
    why: `no answer from ${where} (${escapeControl((code ?? message.slice(0, 200)) || name)})`,
    fix: 'Check the tunnel program and your network.',
    retry: true,
  };
}
