// Validates the global options of the contract, with their environment fallbacks.
import type { GlobalOptions } from './context.js';
import { UsageError } from './errors.js';
import { isLoopbackHost } from './lib/loopback.js';

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function parseGlobals(raw: Record<string, unknown>, env: Record<string, string | undefined>): GlobalOptions {
  const timeoutRaw = String(raw.timeout ?? '30');
  const timeout = Number(timeoutRaw);
  if (!/^\d+(\.\d+)?$/.test(timeoutRaw) || !(timeout > 0) || timeout > 3600) {
    throw new UsageError(`invalid --timeout "${timeoutRaw}": give a number of seconds above 0 and at most 3600`, {
      hint: 'For example: --timeout 10',
    });
  }
  const profile = (raw.profile as string | undefined) ?? (env.ANCHOR_PROFILE || undefined);
  if (profile !== undefined && !PROFILE_NAME.test(profile)) {
    throw new UsageError(`invalid --profile "${profile}": use letters, digits, "-" and "_" (at most 64)`);
  }
  const apiUrl = raw.apiUrl as string | undefined;
  if (apiUrl !== undefined) checkApiUrl(apiUrl, '--api-url');
  return {
    json: raw.json === true,
    profile,
    apiUrl,
    timeout,
    input: raw.input !== false,
    color: raw.color !== false,
    debug: raw.debug === true,
  };
}

/** An API base URL must be http(s) with a host and nothing after the path. */
export function checkApiUrl(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`invalid ${name} "${value}": not a URL`, {
      hint: 'For example: https://api.anchorbrowser.io',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`invalid ${name} "${value}": use an http:// or https:// URL`);
  }
  if (url.username || url.password) {
    throw new UsageError(`invalid ${name}: credentials in the URL are not allowed`, {
      hint: 'The API key is read from the environment or `anchor auth login`.',
    });
  }
  // Every command would refuse to send the key there: refuse it here, where it is set.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(`invalid ${name} "${value}": the API key is never sent over plain http:// to ${url.host}`, {
      hint: 'Use https://, or http:// only for a loopback address such as the emulator (http://127.0.0.1:4010).',
    });
  }
  return url;
}
