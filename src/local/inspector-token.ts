// The inspector's token, kept 0600 in the state folder so that a tab left open keeps working when
// `inspect` or `listen --inspect` restarts (one token for the page, whatever its port). Local users
// other than the owner can reach 127.0.0.1 too: the token is what keeps them out, so a token file
// that others could read or plant (a link, another owner, group or world bits) is never used; a new
// token replaces it. A new token also comes when the file is deleted, or on `inspect --reset-token`.
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CliError } from '../errors.js';
import { foreignOwner, writableByOthers } from '../lib/ownership.js';
import { stateDir } from './record-files.js';

/** 24 random bytes, base64url: what a token file must hold, and nothing else. */
const TOKEN = /^[A-Za-z0-9_-]{32}$/;
const FILE = 'inspector-token';

export function inspectorTokenPath(env: Record<string, string | undefined>): string {
  return join(stateDir(env), FILE);
}

/** The kept token when it is the owner's alone and well formed; undefined otherwise. */
function readKept(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    const othersMayTouch = process.platform !== 'win32' && (st.mode & 0o077) !== 0;
    if (!st.isFile() || foreignOwner(st) !== undefined || othersMayTouch || st.size > 256) return undefined;
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8').trim();
    return TOKEN.test(text) ? text : undefined;
  } finally {
    closeSync(fd);
  }
}

/** Writes a new token beside the file and renames it into place: rename replaces a name, never a link's target. */
function writeNew(path: string): string {
  const token = randomBytes(24).toString('base64url');
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, `${token}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, path);
  } catch (e) {
    unlinkSync(temporary);
    throw e;
  }
  return token;
}

/**
 * The page's token: the kept one, or a new one written 0600 (when there is none, when it cannot be
 * trusted, or when `reset` asks). Throws a CliError when the state folder is another user's or
 * others can write it (they could replace the token with one they know).
 */
export function inspectorToken(env: Record<string, string | undefined>, reset = false): string {
  const dir = stateDir(env);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new CliError(`cannot make the state folder ${dir} for the inspector's token: ${(e as Error).message}`, {
      hint: 'Point ANCHOR_STATE_DIR (or XDG_STATE_HOME) at a folder you can write.',
    });
  }
  const st = statSync(dir);
  const owner = foreignOwner(st);
  if (!st.isDirectory() || owner !== undefined || writableByOthers(st))
    throw new CliError(
      `the state folder ${dir} ${!st.isDirectory() ? 'is not a folder' : owner !== undefined ? `belongs to another user (uid ${owner})` : `can be written by other users (mode ${(st.mode & 0o7777).toString(8)})`}, so it cannot keep the inspector's token`,
      { hint: `Fix it with: chmod 700 ${dir}; or point ANCHOR_STATE_DIR at a folder only you can write.` },
    );
  const path = join(dir, FILE);
  const kept = reset ? undefined : readKept(path);
  if (kept) return kept;
  const written = writeNew(path);
  // Two runs starting at once both write: read back, so that both serve the token that stayed.
  return readKept(path) ?? written;
}
