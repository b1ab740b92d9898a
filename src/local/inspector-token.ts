// The inspector's token, kept 0600 in the state folder so that a tab left open keeps working when
// `inspect` or `listen --inspect` restarts (one token for the page, whatever its port). Local users
// other than the owner can reach 127.0.0.1 too: the token is what keeps them out, so a token file
// that others could read or plant (a link, another owner, group or world bits) is never used; a new
// token replaces it. A new token also comes when the file is deleted, or on `inspect --reset-token`.
import { mkdirSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CliError } from '../errors.js';
import { foreignOwner, writableByOthers } from '../lib/ownership.js';
import { othersMayTouch, readPrivateFile, replacePrivateFile } from '../lib/private-file.js';
import { stateDir } from './record-files.js';

/** 24 random bytes, base64url: what a token file must hold, and nothing else. */
const TOKEN = /^[A-Za-z0-9_-]{32}$/;
const FILE = 'inspector-token';

export function inspectorTokenPath(env: Record<string, string | undefined>): string {
  return join(stateDir(env), FILE);
}

/** The kept token when it is the owner's alone and well formed; undefined otherwise. */
function readKept(path: string): string | undefined {
  const kept = readPrivateFile(path, 256);
  if (kept.kind !== 'file') return undefined;
  const { stat, text, over } = kept;
  if (!stat.isFile() || foreignOwner(stat) !== undefined || othersMayTouch(stat) || over) return undefined;
  return TOKEN.test(text.trim()) ? text.trim() : undefined;
}

/** Writes a new token into place (a link planted under its name is replaced, not followed). */
function writeNew(path: string): string {
  const token = randomBytes(24).toString('base64url');
  replacePrivateFile(path, `${token}\n`);
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
