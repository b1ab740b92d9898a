// Per-profile settings and the stored API key, kept with `conf` in the user's config folder:
// file 0600, folder 0700. Opened only when needed (conf loads ajv, the costliest import we have).
import { chmodSync, closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type Conf from 'conf';
import { CliError, UsageError } from '../errors.js';
import { configDir } from './paths.js';

export { configDir };
import { checkApiUrl } from '../globals.js';

export const DEFAULT_PROFILE = 'default';
const LOCK_WAIT_MS = 5000;
const LOCK_STALE_MS = 10_000;

/** A short synchronous pause (config writes are synchronous, and brief). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs a read-modify-write of the config file under a lock file, so two anchor processes writing
 * at once lose nothing. (conf re-reads the file on every access and writes it atomically, but a
 * set, and conf's own constructor, read and then write.)
 */
function withLock<T>(path: string, fn: () => T): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock older than this was left by a process that died holding it.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) {
        try {
          unlinkSync(lock);
        } catch {
          // Someone else took it over first.
        }
        continue;
      }
      if (Date.now() > deadline) {
        throw new CliError(`the config file ${path} is locked by another anchor process`, { hint: `If no other anchor is running, remove ${lock}.` });
      }
      sleepSync(5 + Math.floor(Math.random() * 15));
    }
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // Already gone.
    }
  }
}

/** Non-secret settings `anchor config` manages, with their validation. */
export const SETTINGS: Record<string, { description: string; validate: (value: string) => string }> = {
  'api-url': {
    description: 'API base URL for this profile',
    validate: (v) => checkApiUrl(v, 'api-url').toString().replace(/\/$/, ''),
  },
};

interface ProfileData {
  'api-key'?: string;
  'api-url'?: string;
}
interface ConfigData {
  profiles: Record<string, ProfileData>;
}

export class ConfigStore {
  private constructor(
    private readonly conf: Conf<ConfigData>,
    readonly path: string,
  ) {}

  static async open(env: Record<string, string | undefined>): Promise<ConfigStore> {
    const dir = configDir(env);
    const path = join(dir, 'config.json');
    try {
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat && !stat.isFile()) {
        throw new CliError(`cannot use the config file ${path} (EISDIR: it is not a file)`, { hint: `${path} is a folder or a device; move it away.` });
      }
      if (stat && (stat.mode & 0o077) !== 0 && process.platform !== 'win32') {
        throw new CliError(`the config file ${path} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}); it holds your API key`, {
          hint: `Fix it with: chmod 600 ${path}`,
        });
      }
      const { default: ConfStore } = await import('conf');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
      // conf's constructor writes the file back (with the defaults merged in): lock it too.
      const conf = withLock(path, () =>
        new ConfStore<ConfigData>({
          projectName: 'anchor',
          cwd: dir,
          configName: 'config',
          configFileMode: 0o600,
          defaults: { profiles: {} },
          clearInvalidConfig: false,
        }),
      );
      return new ConfigStore(conf, path);
    } catch (e) {
      if (e instanceof CliError) throw e;
      const err = e as NodeJS.ErrnoException;
      if (err instanceof SyntaxError || err.name === 'SyntaxError') {
        throw new CliError(`the config file ${path} is not valid JSON`, { hint: `Fix or remove it (rm ${path}), then log in again with \`anchor auth login\`.` });
      }
      if (err.code === 'EACCES' || err.code === 'EPERM') {
        throw new CliError(`cannot read or write the config file ${path} (${err.code})`, { hint: `Check its owner and permissions: ls -l ${path}` });
      }
      if (typeof err.code === 'string') {
        throw new CliError(`cannot use the config file ${path} (${err.code}: ${err.message})`, {
          hint: err.code === 'EISDIR' ? `${path} is a folder; move it away.` : `Check the path and its folder: ls -la ${dir}`,
        });
      }
      throw e;
    }
  }

  private profiles(): Record<string, ProfileData> {
    const p = this.conf.get('profiles');
    if (typeof p !== 'object' || p === null || Array.isArray(p)) {
      throw new CliError(`the config file ${this.path} has an unexpected shape`, { hint: `Fix or remove it (rm ${this.path}).` });
    }
    return p;
  }

  profileNames(): string[] {
    return Object.keys(this.profiles());
  }

  get(profile: string, key: keyof ProfileData): string | undefined {
    const v = this.profiles()[profile]?.[key];
    return typeof v === 'string' ? v : undefined;
  }

  set(profile: string, key: keyof ProfileData, value: string): void {
    withLock(this.path, () => {
      const current = this.profiles()[profile] ?? {};
      this.conf.set(`profiles.${profile}`, { ...current, [key]: value });
    });
  }

  unset(profile: string, key: keyof ProfileData): boolean {
    return withLock(this.path, () => {
      const current = this.profiles()[profile];
      if (!current || current[key] === undefined) return false;
      const { [key]: _removed, ...rest } = current;
      this.conf.set(`profiles.${profile}`, rest);
      return true;
    });
  }

  /** Settings of a profile, without the key. */
  settings(profile: string): Record<string, string> {
    const { 'api-key': _key, ...rest } = this.profiles()[profile] ?? {};
    return Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  }
}

export function settingOrThrow(key: string): (typeof SETTINGS)[string] {
  const s = SETTINGS[key];
  if (!s) {
    throw new UsageError(`unknown setting "${key}"`, { hint: `Settings: ${Object.keys(SETTINGS).join(', ')}. The API key is managed with \`anchor auth login\`.` });
  }
  return s;
}
