// A created webhook's secret, written to `--secret-dir`: one new 0600 file a webhook, never over
// an existing file, and never lost when the id the API answered cannot name a file there.
import { openSync, closeSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileForId, unsafeIdReason } from '../../../lib/safe-name.js';

function writeNewFile(path: string, secret: string): void {
  // 'wx': never over an existing file, nor through a link planted at that name.
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, secret);
  } finally {
    closeSync(fd);
  }
}

/**
 * A created webhook's secret, in `<dir>/<id>.secret`. An id the API answered that cannot name a
 * file there (`../outside/x`), or a name already taken, must not lose the secret: it goes to a
 * fresh name in the same folder, and `refused` says why. Throws only when nothing can be written.
 */
export function writeSecretFile(dir: string, id: string, secret: string): { path: string; refused?: string } {
  const named = fileForId(dir, id, '.secret');
  let refused = named ? undefined : (unsafeIdReason(id) ?? 'its file name would leave the folder');
  if (named) {
    try {
      writeNewFile(named, secret);
      return { path: named };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw e;
      refused = `${named} already exists, and a secret file is never overwritten`;
    }
  }
  const path = join(dir, `created-${Date.now()}-${randomBytes(4).toString('hex')}.secret`);
  writeNewFile(path, secret);
  return { path, refused };
}
