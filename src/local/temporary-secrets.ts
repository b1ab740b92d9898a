// The secrets of the temporary webhooks of recent `listen --register` runs, per profile, kept 0600
// beside the forwarding secret for a day. A deleted webhook's deliveries already in flight are
// still retried by Anchor (delete stops new fan-out only), so after a restart on the same public
// URL those retries come signed with the previous run's secret: listen verifies them with it too,
// and the app gets them re-signed with the forwarding secret, instead of losing the event to a 401.
//
// The file is a convenience, never a reason to fail: one that is not what anchor wrote (a link,
// another user's, readable by others, unparsable) is ignored and replaced on the next write.
import { readPrivateFile, replacePrivateFile } from '../lib/private-file.js';
import { checkFile, checkFolders, forwardingSecretPath, prepareFolder } from './forwarding-secret.js';

/** How long a run's secret is kept: Anchor's retries of one delivery end well within a day. */
export const KEEP_MS = 24 * 3_600_000;
/** The most runs remembered (a day of restarts every few minutes would be noise, not deliveries). */
const MAX_KEPT = 20;
const LINE = /^(\d{13}) ([0-9a-f]{64})$/;
const MAX_FILE_BYTES = (MAX_KEPT + 1) * 80;

const pathOf = (env: Record<string, string | undefined>, profile: string) =>
  `${forwardingSecretPath(env, profile)}.previous-temporary`;

interface Kept {
  expiresMs: number;
  secret: string;
}

function read(path: string): Kept[] {
  try {
    // Judged as the forwarding secret is: a file others could read or plant counts as none.
    const kept = readPrivateFile(path, MAX_FILE_BYTES, (st) => checkFile(path, st));
    if (kept.kind !== 'file') return [];
    return kept.text.split('\n').flatMap((line) => {
      const m = LINE.exec(line);
      return m ? [{ expiresMs: Number(m[1]), secret: m[2]! }] : [];
    });
  } catch {
    return [];
  }
}

/** The secrets of this profile's recent temporary webhooks, still within their day. */
export function recentTemporarySecrets(
  env: Record<string, string | undefined>,
  profile: string,
  nowMs: number,
): string[] {
  try {
    checkFolders(env);
    return read(pathOf(env, profile))
      .filter((k) => k.expiresMs > nowMs)
      .map((k) => k.secret);
  } catch {
    return [];
  }
}

/** Remembers a new temporary webhook's secret (best effort: false when it could not be kept). */
export function keepTemporarySecret(
  env: Record<string, string | undefined>,
  profile: string,
  secret: string,
  nowMs: number,
): boolean {
  try {
    prepareFolder(env);
    const path = pathOf(env, profile);
    const kept = [
      ...read(path).filter((k) => k.expiresMs > nowMs && k.secret !== secret),
      { expiresMs: nowMs + KEEP_MS, secret },
    ].slice(-MAX_KEPT);
    replacePrivateFile(path, kept.map((k) => `${k.expiresMs} ${k.secret}`).join('\n') + '\n');
    return true;
  } catch {
    return false;
  }
}
