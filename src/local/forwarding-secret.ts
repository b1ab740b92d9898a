// The local forwarding secret: one per profile, kept 0600 in the state folder, that
// `listen --register` re-signs verified deliveries with before forwarding them, so an app
// configured once verifies every delivery across restarts (each run's temporary webhook has a
// secret of its own). `replay`, `events trigger`, `check-receiver` and the inspector sign with it
// when no other secret is given. Minted on first need; --reset-secret mints a new one.
//
// It is a secret the app trusts, so the file is treated like an SSH key: a link, a file or folder
// another user owns or may write, or a file others may read is refused, never followed or fixed.
import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, renameSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../errors.js';
import { currentUid, foreignOwner, writableByOthers } from '../lib/ownership.js';
import { othersMayTouch, readPrivateFile, writePrivateTemporary } from '../lib/private-file.js';
import { stateDir } from './record-files.js';

/** The format of Anchor's webhook secrets (the emulator's too): 32 random bytes, hex. */
const SECRET_FORMAT = /^[0-9a-f]{64}$/;
/** What is read of the file: the secret and a newline, with room to say what else is there. */
const MAX_FILE_BYTES = 1024;
const PROFILE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const RESET = 'anchor webhooks listen --reset-secret';

export interface ForwardingSecret {
  secret: string;
  path: string;
  /** Minted by this call (the app's .env does not have it yet). */
  minted: boolean;
}

export function forwardingSecretDir(env: Record<string, string | undefined>): string {
  return join(stateDir(env), 'forwarding-secrets');
}

export function forwardingSecretPath(env: Record<string, string | undefined>, profile: string): string {
  // Profiles are checked where they are parsed; this guards the file name all the same.
  if (!PROFILE.test(profile)) throw new Error(`not a profile name: ${JSON.stringify(profile)}`);
  return join(forwardingSecretDir(env), profile);
}

const refuse = (what: string, why: string, hint: string) =>
  new CliError(`the forwarding secret ${what} ${why}; anchor does not use a secret others could read or replace`, {
    hint,
  });

function checkFolder(path: string, st: Stats): void {
  const elsewhere = 'or point ANCHOR_STATE_DIR at a folder only you can write';
  if (!st.isDirectory()) throw refuse(`folder ${path}`, 'is not a folder', `Move it away, ${elsewhere}.`);
  const owner = foreignOwner(st);
  if (owner !== undefined)
    throw refuse(
      `folder ${path}`,
      `belongs to another user (uid ${owner}, you are ${currentUid()})`,
      `Point ANCHOR_STATE_DIR at a folder of your own.`,
    );
  if (writableByOthers(st))
    throw refuse(
      `folder ${path}`,
      `can be written by other users (mode ${(st.mode & 0o7777).toString(8)})`,
      `Fix it with: chmod 700 ${path}; ${elsewhere}.`,
    );
}

/** Checks the state folder (followed: ANCHOR_STATE_DIR may be a link) and the secrets' folder (not followed). */
export function checkFolders(env: Record<string, string | undefined>): void {
  const state = stateDir(env);
  const stateStat = statSync(state, { throwIfNoEntry: false });
  if (stateStat) checkFolder(state, stateStat);
  const dir = forwardingSecretDir(env);
  const dirStat = lstatSync(dir, { throwIfNoEntry: false });
  if (dirStat) checkFolder(dir, dirStat);
}

export function checkFile(path: string, st: Stats): void {
  if (!st.isFile())
    throw refuse(
      `file ${path}`,
      'is not a regular file',
      `Move it away (mv ${path} ${path}.bak), then run \`${RESET}\`.`,
    );
  const owner = foreignOwner(st);
  if (owner !== undefined)
    throw refuse(
      `file ${path}`,
      `belongs to another user (uid ${owner})`,
      `Remove it (rm ${path}), then run \`${RESET}\` and put the new secret in your app's .env.`,
    );
  if (othersMayTouch(st))
    throw refuse(
      `file ${path}`,
      `can be read or written by other users (mode ${(st.mode & 0o7777).toString(8)})`,
      `Others may have read it: mint a new one with \`${RESET}\` (it is written 0600) and update your app's .env.`,
    );
}

/** The secret in the file, or undefined when there is none; anything but a secret anchor wrote is refused. */
function readFile(path: string): string | undefined {
  // Not followed: a link planted under the secret's name is refused.
  const kept = readPrivateFile(path, MAX_FILE_BYTES, (st) => checkFile(path, st));
  if (kept.kind === 'missing') return undefined;
  if (kept.kind === 'link')
    throw refuse(`file ${path}`, 'is a symbolic link', `Remove it (rm ${path}), then run \`${RESET}\`.`);
  if (kept.kind === 'unreadable') throw new CliError(`cannot read the forwarding secret ${path} (${kept.code})`);
  if (kept.over)
    throw refuse(`file ${path}`, `is over ${MAX_FILE_BYTES} bytes, so it is not one anchor wrote`, `Run \`${RESET}\`.`);
  const secret = kept.text.replace(/\n$/, '');
  if (!SECRET_FORMAT.test(secret))
    throw new CliError(
      `the forwarding secret file ${path} does not hold a secret anchor wrote (64 hex characters and a newline)`,
      { hint: `Mint a new one with \`${RESET}\`, then put it in your app's .env.` },
    );
  return secret;
}

export function prepareFolder(env: Record<string, string | undefined>): void {
  checkFolders(env);
  mkdirSync(forwardingSecretDir(env), { recursive: true, mode: 0o700 });
  checkFolders(env);
}

const mint = () => randomBytes(32).toString('hex');

/** The profile's forwarding secret if it has one (checked), else undefined. Never mints. */
export function existingForwardingSecret(
  env: Record<string, string | undefined>,
  profile: string,
): ForwardingSecret | undefined {
  checkFolders(env);
  const path = forwardingSecretPath(env, profile);
  const secret = readFile(path);
  return secret === undefined ? undefined : { secret, path, minted: false };
}

/**
 * The profile's forwarding secret, minted on first need. Two runs minting at once agree: the new
 * file is linked into place, which fails when another run's is already there, and that one is read.
 */
export function forwardingSecret(env: Record<string, string | undefined>, profile: string): ForwardingSecret {
  const existing = existingForwardingSecret(env, profile);
  if (existing) return existing;
  prepareFolder(env);
  const path = forwardingSecretPath(env, profile);
  const secret = mint();
  const temporary = writePrivateTemporary(path, `${secret}\n`);
  try {
    linkSync(temporary, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const theirs = readFile(path);
    if (theirs !== undefined) return { secret: theirs, path, minted: false };
    throw e;
  } finally {
    unlinkSync(temporary);
  }
  return { secret, path, minted: true };
}

/** Mints a new forwarding secret for the profile, replacing the old one (whatever was at its name). */
export function resetForwardingSecret(env: Record<string, string | undefined>, profile: string): ForwardingSecret {
  prepareFolder(env);
  const path = forwardingSecretPath(env, profile);
  const secret = mint();
  const temporary = writePrivateTemporary(path, `${secret}\n`);
  try {
    // rename replaces the name, never what a link there points at.
    renameSync(temporary, path);
  } catch (e) {
    unlinkSync(temporary);
    throw new CliError(
      `could not replace the forwarding secret ${path} (${(e as NodeJS.ErrnoException).code}); move it away and try again`,
    );
  }
  return { secret, path, minted: true };
}
