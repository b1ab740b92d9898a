// The contract's order of lookup for the API key and the API URL, in one place: the commands (through
// credentials.ts, which adds validation and the config store) and the completion query (which must
// not load conf) both read it from here.
//   key: ANCHOR_API_KEY, ANCHORBROWSER_API_KEY, then the profile's stored key
//   URL: --api-url, ANCHOR_API_URL, ANCHORBROWSER_BASE_URL, the profile's api-url, then the default

export const DEFAULT_API_URL = 'https://api.anchorbrowser.io';
export const KEY_VARIABLES = ['ANCHOR_API_KEY', 'ANCHORBROWSER_API_KEY'] as const;
export const URL_VARIABLES = ['ANCHOR_API_URL', 'ANCHORBROWSER_BASE_URL'] as const;

/** The first of `names` set to something other than white space, trimmed. */
export function firstSet(
  env: Record<string, string | undefined>,
  names: readonly string[],
): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

/** The key and the URL without validation: what the completion query needs. */
export function lookupUnchecked(
  env: Record<string, string | undefined>,
  flagUrl: string | undefined,
  stored: { 'api-key'?: unknown; 'api-url'?: unknown },
): { key: string | undefined; url: string } {
  const storedKey = typeof stored['api-key'] === 'string' ? stored['api-key'] : undefined;
  const storedUrl = typeof stored['api-url'] === 'string' ? stored['api-url'] : undefined;
  return {
    key: firstSet(env, KEY_VARIABLES)?.value ?? storedKey,
    url: flagUrl ?? firstSet(env, URL_VARIABLES)?.value ?? storedUrl ?? DEFAULT_API_URL,
  };
}
