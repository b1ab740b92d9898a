// Per-profile settings and the stored API key, kept with `conf` in the user's config folder:
// file 0600, folder 0700. Opened only when needed (conf loads ajv, the costliest import we have).
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type Conf from 'conf';
import { CliError, UsageError } from '../errors.js';
import { configDir } from './paths.js';
import { currentUid, foreignOwner, writableByOthers } from '../lib/ownership.js';

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
  const locked = (why: string) =>
    new CliError(`the config file ${path} is locked (${why})`, {
      hint: `If no other anchor is running, remove ${lock} (rm -rf ${lock}) and try again.`,
    });
  for (;;) {
    // Every way round this loop passes the deadline check: a lock that cannot be taken or removed
    // ends the command, it does not spin.
    if (Date.now() > deadline) throw locked('another anchor process holds it, or held it and died');
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    // A lock older than this was left by a process that died holding it: take it over.
    const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > LOCK_STALE_MS) {
      try {
        unlinkSync(lock);
        continue;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Someone else took it over first; anything else (a folder, no permission) will not change.
        if (code !== 'ENOENT') throw locked(`a stale lock that cannot be removed: ${code}`);
      }
    }
    sleepSync(5 + Math.floor(Math.random() * 15));
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

/**
 * The config file's shape, checked before conf touches it: conf would merge its defaults into
 * anything and write it back, turning a profile that is a string into an object of its characters.
 * A file we cannot read as ours is refused, naming the place and the fix, and left as it is.
 */
function checkShape(data: unknown, path: string): void {
  const refuse = (where: string, what: string) =>
    new CliError(`the config file ${path} has an unexpected shape: ${where} ${what}`, {
      hint: `Fix it by hand (it should look like {"profiles": {"default": {"api-key": "…", "api-url": "https://…"}}}), or move it away (mv ${path} ${path}.bak) and log in again. anchor has not changed it.`,
    });
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(data)) throw refuse('the whole file is', `${kind(data)}, not an object`);
  if (data.profiles === undefined) return;
  if (!isObject(data.profiles)) throw refuse('"profiles" is', `${kind(data.profiles)}, not an object`);
  for (const [name, profile] of Object.entries(data.profiles)) {
    if (!isObject(profile)) throw refuse(`profiles.${name} is`, `${kind(profile)}, not an object`);
    for (const key of ['api-key', 'api-url'] as const) {
      if (profile[key] !== undefined && typeof profile[key] !== 'string')
        throw refuse(`profiles.${name}.${key} is`, `${kind(profile[key])}, not a string`);
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

  /** `warn` gets a line for the user (stderr) about a risk that does not stop the command. */
  static async open(
    env: Record<string, string | undefined>,
    warn: (line: string) => void = () => {},
  ): Promise<ConfigStore> {
    const dir = configDir(env);
    const path = join(dir, 'config.json');
    try {
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat && !stat.isFile()) {
        throw new CliError(`cannot use the config file ${path} (EISDIR: it is not a file)`, {
          hint: `${path} is a folder or a device; move it away.`,
        });
      }
      const owner = stat && foreignOwner(stat);
      if (owner !== undefined) {
        throw new CliError(
          `the config file ${path} belongs to another user (uid ${owner}; anchor runs as uid ${currentUid()}): its owner can read the API key kept in it and change the API URL the key is sent to`,
          {
            hint: `If the file is yours, take it back: sudo chown ${currentUid()} ${path}. Otherwise point ANCHOR_CONFIG_DIR at a folder of your own and log in there.`,
          },
        );
      }
      if (stat && (stat.mode & 0o077) !== 0 && process.platform !== 'win32') {
        throw new CliError(
          `the config file ${path} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}); it holds your API key`,
          {
            hint: `Fix it with: chmod 600 ${path}`,
          },
        );
      }
      if (stat) checkShape(JSON.parse(readFileSync(path, 'utf8')), path);
      const { default: ConfStore } = await import('conf');
      // Modes are set on what anchor creates (mkdir applies 0700 to every folder it makes); a
      // folder that was already there is the user's, and is only warned about.
      const created = mkdirSync(dir, { recursive: true, mode: 0o700 });
      const dirStat = statSync(dir);
      if (!dirStat.isDirectory())
        throw new CliError(`the config folder ${dir} is not a folder`, {
          hint: `Move it away, or point ANCHOR_CONFIG_DIR at a folder.`,
        });
      const folderOwner = foreignOwner(dirStat);
      if (created === undefined && folderOwner !== undefined) {
        warn(
          `Warning: the config folder ${dir} belongs to another user (uid ${folderOwner}); anchor keeps your API key there, and its owner could replace the file. Point ANCHOR_CONFIG_DIR at a folder of your own.\n`,
        );
      } else if (created === undefined && writableByOthers(dirStat)) {
        warn(
          `Warning: the config folder ${dir} can be written by other users (mode ${(dirStat.mode & 0o7777).toString(8)}); anchor keeps your API key there. Point ANCHOR_CONFIG_DIR at a folder only you can write, or: chmod 700 ${dir}\n`,
        );
      }
      // conf's constructor writes the file back (with the defaults merged in): lock it too.
      const conf = withLock(
        path,
        () =>
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
        throw new CliError(`the config file ${path} is not valid JSON`, {
          hint: `Fix or remove it (rm ${path}), then log in again with \`anchor auth login\`.`,
        });
      }
      if (err.code === 'EACCES' || err.code === 'EPERM') {
        throw new CliError(`cannot read or write the config file ${path} (${err.code})`, {
          hint: `Check its owner and permissions: ls -l ${path}`,
        });
      }
      if (typeof err.code === 'string') {
        throw new CliError(`cannot use the config file ${path} (${err.code}: ${err.message})`, {
          hint:
            err.code === 'EISDIR'
              ? `${path} is a folder; move it away.`
              : `Check the path and its folder: ls -la ${dir}`,
        });
      }
      throw e;
    }
  }

  /** conf reads the file again on every access: the shape is checked each time too. */
  private profiles(): Record<string, ProfileData> {
    const data: unknown = this.conf.store;
    checkShape(data, this.path);
    return (data as Partial<ConfigData>).profiles ?? {};
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
    throw new UsageError(`unknown setting "${key}"`, {
      hint: `Settings: ${Object.keys(SETTINGS).join(', ')}. The API key is managed with \`anchor auth login\`.`,
    });
  }
  return s;
}
