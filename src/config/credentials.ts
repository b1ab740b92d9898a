// Where the API key and the API URL come from, in the contract's order of lookup.
import type { Context } from '../context.js';
import { AuthError } from '../errors.js';
import { checkApiUrl } from '../globals.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { configDir, DEFAULT_PROFILE } from './store.js';

export const DEFAULT_API_URL = 'https://api.anchorbrowser.io';

export interface Credentials {
  key: string;
  /** An env var name, or the config file's path. */
  source: string;
}

export function profileName(ctx: Context): string {
  return ctx.globals.profile ?? DEFAULT_PROFILE;
}

/** ANCHOR_API_KEY, then ANCHORBROWSER_API_KEY, then the profile's stored key; undefined if none. */
export async function findCredentials(ctx: Context): Promise<Credentials | undefined> {
  for (const name of ['ANCHOR_API_KEY', 'ANCHORBROWSER_API_KEY']) {
    const v = ctx.env[name]?.trim();
    if (v) return { key: v, source: name };
  }
  if (!existsSync(join(configDir(ctx.env), 'config.json'))) return undefined;
  const store = await ctx.config();
  const key = store.get(profileName(ctx), 'api-key');
  return key ? { key, source: store.path } : undefined;
}

export async function requireCredentials(ctx: Context): Promise<Credentials> {
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
export async function resolveApiUrl(ctx: Context): Promise<{ url: string; source: string }> {
  if (ctx.globals.apiUrl) return { url: ctx.globals.apiUrl, source: '--api-url' };
  for (const name of ['ANCHOR_API_URL', 'ANCHORBROWSER_BASE_URL']) {
    const v = ctx.env[name]?.trim();
    if (v) {
      checkApiUrl(v, name);
      return { url: v, source: name };
    }
  }
  // No config file, nothing stored: skip loading conf (and ajv) altogether.
  if (existsSync(join(configDir(ctx.env), 'config.json'))) {
    const store = await ctx.config();
    const stored = store.get(profileName(ctx), 'api-url');
    if (stored) return { url: stored, source: store.path };
  }
  return { url: DEFAULT_API_URL, source: 'default' };
}
