// Where the API key and the API URL come from, in the contract's order of lookup.
import type { GlobalOptions } from '../globals.js';
import type { ConfigStore } from './store.js';
import { AuthError, CliError, UsageError } from '../errors.js';
import { checkApiUrl } from '../globals.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { configDir, DEFAULT_PROFILE } from './store.js';
import { DEFAULT_API_URL, firstSet, KEY_VARIABLES, URL_VARIABLES } from './lookup.js';

export { DEFAULT_API_URL };

export interface Credentials {
  key: string;
  /** An env var name, or the config file's path. */
  source: string;
}

/** What the lookup needs of its caller: the environment, the global flags, the config store. */
export interface CredentialsHost {
  readonly env: Record<string, string | undefined>;
  readonly globals: Pick<GlobalOptions, 'profile' | 'apiUrl'>;
  config(): Promise<ConfigStore>;
  /** Registers the key found, so that it is redacted from everything written out. */
  addSecret(value: string | undefined): void;
}

export function profileName(ctx: { readonly globals: Pick<GlobalOptions, 'profile'> }): string {
  return ctx.globals.profile ?? DEFAULT_PROFILE;
}

/**
 * What makes a key impossible to send in an HTTP header (anything but printable ASCII), said
 * without quoting the key; undefined when it is fine.
 */
export function keyProblem(key: string): string | undefined {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const at = `character ${i + 1} of ${key.length}`;
    if (c === 0x0a || c === 0x0d) return `a line break (${at})`;
    if (c === 0x20 || c === 0x09) return `white space (${at})`;
    if (c < 0x20 || c === 0x7f) return `a control character (${at})`;
    if (c > 0x7e) return `a non-ASCII character (${at})`;
  }
  return undefined;
}

/** ANCHOR_API_KEY, then ANCHORBROWSER_API_KEY, then the profile's stored key; undefined if none. */
export async function findCredentials(ctx: CredentialsHost): Promise<Credentials | undefined> {
  const fromEnv = firstSet(ctx.env, KEY_VARIABLES);
  if (fromEnv) {
    const problem = keyProblem(fromEnv.value);
    if (problem) {
      throw new AuthError(`the API key in ${fromEnv.name} cannot be sent: it contains ${problem}`, {
        hint: `API keys are printable ASCII with no spaces. Set ${fromEnv.name} again with only the key (copy it from app.anchorbrowser.io → API Access).`,
      });
    }
    return { key: fromEnv.value, source: fromEnv.name };
  }
  if (!existsSync(join(configDir(ctx.env), 'config.json'))) return undefined;
  const store = await ctx.config();
  const key = store.get(profileName(ctx), 'api-key');
  if (!key) return undefined;
  const problem = keyProblem(key);
  if (problem) {
    throw new AuthError(
      `the API key stored for profile "${profileName(ctx)}" in ${store.path} cannot be sent: it contains ${problem}`,
      {
        hint: 'Log in again with `anchor auth login`, pasting only the key.',
      },
    );
  }
  return { key, source: store.path };
}

export async function requireCredentials(ctx: CredentialsHost): Promise<Credentials> {
  const c = await findCredentials(ctx);
  if (!c) {
    const profile = profileName(ctx);
    throw new AuthError(`no API key for profile "${profile}"`, {
      hint: 'Run `anchor auth login` (or set ANCHOR_API_KEY). Create a key at https://app.anchorbrowser.io under API Access.',
    });
  }
  ctx.addSecret(c.key);
  return c;
}

/** --api-url, ANCHOR_API_URL, ANCHORBROWSER_BASE_URL, the profile's api-url, then the default. */
export async function resolveApiUrl(ctx: CredentialsHost): Promise<{ url: string; source: string }> {
  if (ctx.globals.apiUrl) return { url: ctx.globals.apiUrl, source: '--api-url' };
  const fromEnv = firstSet(ctx.env, URL_VARIABLES);
  if (fromEnv) {
    checkApiUrl(fromEnv.value, fromEnv.name);
    return { url: fromEnv.value, source: fromEnv.name };
  }
  // No config file, nothing stored: skip loading conf (and ajv) altogether.
  if (existsSync(join(configDir(ctx.env), 'config.json'))) {
    const store = await ctx.config();
    const stored = store.get(profileName(ctx), 'api-url');
    if (stored) {
      try {
        checkApiUrl(stored, 'api-url');
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        throw new UsageError(`the config file ${store.path} has an ${e.message} (profile "${profileName(ctx)}")`, {
          hint: 'Set it again with `anchor config set api-url https://…`, or remove it with `anchor config unset api-url`.',
        });
      }
      return { url: stored, source: store.path };
    }
  }
  return { url: DEFAULT_API_URL, source: 'default' };
}
