// A folder that secrets are written to (`apply --secret-dir`, `anchor mcp --secret-dir`): made with
// mode 0700 when missing. One that exists must be the user's own and writable by no one else, or
// another local user could rename a secret file away and plant one of theirs, which the app would
// then trust. A folder that was already there is checked, never chmodded.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { foreignOwner, writableByOthers } from './ownership.js';

/** What is wrong with an existing folder as a home for secrets, or undefined when nothing is. */
export function secretDirProblem(dir: string, flag: string): UsageError | undefined {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st) return undefined;
  if (!st.isDirectory()) return new UsageError(`invalid ${flag}: ${dir} is not a folder`);
  const fix = 'Pass a folder of your own, or a new path (it is made with mode 0700).';
  const owner = foreignOwner(st);
  if (owner !== undefined)
    return new UsageError(
      `invalid ${flag}: ${dir} belongs to another user (uid ${owner}), who could replace a secret written there`,
      { hint: fix },
    );
  if (writableByOthers(st))
    return new UsageError(
      `invalid ${flag}: others can write to ${dir}, and could replace a secret written there with one of theirs`,
      { hint: `Run chmod go-w ${dir}; or ${fix.charAt(0).toLowerCase()}${fix.slice(1)}` },
    );
  return undefined;
}

/** The folder, absolute: checked if it exists, made (0700) if not, and writable. Throws UsageError. */
export function prepareSecretDir(dir: string, flag: string): string {
  const abs = resolve(dir);
  const problem = secretDirProblem(abs, flag);
  if (problem) throw problem;
  try {
    mkdirSync(abs, { recursive: true, mode: 0o700 });
    accessSync(abs, constants.W_OK);
  } catch (e) {
    throw new UsageError(`invalid ${flag}: cannot write to ${dir} (${(e as NodeJS.ErrnoException).code})`);
  }
  return abs;
}
