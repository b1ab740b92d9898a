// Where the secrets that create_webhook and rotate_webhook_secret mint are written: each call gets a
// new pending file in the server's secret folder (0700, checked before use), moved to `<id>.secret`
// once the API has answered with an id that can name a file. A secret is never in a tool result.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileForId, moveToNewName, quoteId, unsafeIdReason } from '../lib/safe-name.js';
import { secretDirProblem } from '../lib/secret-dir.js';

/** The pending secret files one call asked for. */
export class PendingSecrets {
  readonly paths: string[] = [];
  constructor(private readonly secretDir: string) {}

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
      ? fileForId(secretDir, answer.id, rotated ? `-${Date.now()}.secret` : '.secret')
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

/** A file system error's code (EEXIST), else its message. */
function errorCode(e: unknown): string {
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') return e.code;
  return e instanceof Error ? e.message : String(e);
}
