// Where the secrets that create_webhook and rotate_webhook_secret mint are written: each call gets a
// new pending file in the server's secret folder (0700, checked before use), moved to `<id>.secret`
// once the API has answered with an id that can name a file, and removed when delete_webhook deletes
// its webhook. Paths are absolute: the client's working directory is not the server's. A secret is
// never in a tool result.
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileForId, moveToNewName, quoteId, unsafeIdReason } from '../lib/safe-name.js';
import { secretDirProblem } from '../lib/secret-dir.js';

/** The pending secret files one call asked for. */
export class PendingSecrets {
  readonly paths: string[] = [];
  private readonly secretDir: string;
  constructor(secretDir: string) {
    this.secretDir = resolve(secretDir);
  }

  /** A new file name in the folder, for a secret of this kind (`create`, `rotate`). */
  readonly file = (kind: string): string => {
    const path = join(this.secretDir, `pending-${kind}-${randomBytes(6).toString('hex')}.secret`);
    this.paths.push(path);
    return path;
  };

  /** Makes the folder (0700) before the command writes to it; a string says why it cannot. */
  prepareFolder(): string | undefined {
    const problem = secretDirProblem(this.secretDir, '--secret-dir');
    if (problem) return `${problem.message}; the server's secret folder must be fixed before a secret can be written`;
    mkdirSync(this.secretDir, { recursive: true, mode: 0o700 });
    return undefined;
  }
}

/**
 * Moves a new secret from its pending file to `<id>.secret` (rotations: `<id>-<ms>.secret`) and
 * returns that path, or a refusal. An id the API answered that cannot name a file, or a name already
 * taken, leaves the secret where it is, in the folder and 0600: the refusal says what was done and
 * where the secret is.
 */
export function nameSecretFile(
  answer: { id: unknown; secretFile: string },
  toolName: string,
  secretDir: string,
): { named: string } | { refused: string } {
  const rotated = toolName === 'rotate_webhook_secret';
  const named =
    typeof answer.id === 'string'
      ? fileForId(resolve(secretDir), answer.id, rotated ? `-${Date.now()}.secret` : '.secret')
      : undefined;
  let why = named ? undefined : (unsafeIdReason(answer.id) ?? 'its file name would leave the folder');
  if (named) {
    try {
      moveToNewName(answer.secretFile, named);
      return { named };
    } catch (e) {
      why = `${named} could not be made (${errorCode(e)}), and an existing file is never replaced`;
    }
  }
  const done = rotated
    ? `rotated the secret of ${quoteId(answer.id)}`
    : `created a webhook (do not call create_webhook again for it; list_webhooks shows it)`;
  return {
    refused: `${done}, but the API answered with the id ${quoteId(answer.id)}, which cannot name its secret file: ${why}. The ${rotated ? 'new ' : ''}signing secret is in ${answer.secretFile} (mode 0600) instead; nothing was written outside ${secretDir}.`,
  };
}

/** What became of a deleted webhook's secret files: those removed, and those that could not be. */
export interface SecretCleanup {
  removed: string[];
  kept: Array<{ path: string; why: string }>;
}

/** A rotation's file: `<id>-<Date.now()>.secret` (13 digits or more, so `wh_a-1.secret` is another id's). */
const ROTATION = /^-\d{13,}\.secret$/;

/** Removes the secret files this server wrote for webhook `id` (`<id>.secret` and its rotations). */
export function removeSecretFiles(secretDir: string, id: string): SecretCleanup {
  const folder = resolve(secretDir);
  const done: SecretCleanup = { removed: [], kept: [] };
  if (fileForId(folder, id, '.secret') === undefined) return done;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return done;
  }
  for (const name of names) {
    if (name !== `${id}.secret` && !(name.startsWith(id) && ROTATION.test(name.slice(id.length)))) continue;
    const path = join(folder, name);
    try {
      // Only a file of ours: a link or a folder planted under the name is left, and named.
      if (!lstatSync(path).isFile()) {
        done.kept.push({ path, why: 'not a plain file' });
        continue;
      }
      unlinkSync(path);
      done.removed.push(path);
    } catch (e) {
      done.kept.push({ path, why: errorCode(e) });
    }
  }
  return done;
}

/** What delete_webhook says of the secret files, and adds to its answer. */
export function cleanupNote(c: SecretCleanup, secretDir: string): string {
  const removed = c.removed.length
    ? `Removed its secret file(s) from the server's secret folder: ${c.removed.join(', ')}.`
    : `No secret file of it was in the server's secret folder (${resolve(secretDir)}).`;
  const kept = c.kept.length
    ? ` Could not remove ${c.kept.map((k) => `${k.path} (${k.why})`).join(', ')}: ask the user to delete it, since it holds a secret that no longer signs anything.`
    : '';
  return `${removed}${kept}`;
}

/** A file system error's code (EEXIST), else its message. */
function errorCode(e: unknown): string {
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') return e.code;
  return e instanceof Error ? e.message : String(e);
}
