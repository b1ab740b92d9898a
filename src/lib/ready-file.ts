// `listen --ready-file`: the file a script waits on. The README suggests /tmp, where another user
// may have planted a link (writing through it would overwrite its target) or a FIFO (opening it
// would block the process for good). So the text goes to a new file beside it, opened with
// O_CREAT|O_EXCL (no link followed, nothing to block on), and is renamed into place: rename
// replaces a name, never what a link points to. Anything there that is not a regular file is
// refused up front, before `listen` registers a webhook or opens a port; a regular file there is
// removed then (a stale URL is never read), and the file is removed again when `listen` ends.
import {
  closeSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

function kind(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isDirectory()) return 'a folder';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Refuses a path where something other than a regular file is, or whose folder does not exist. */
export function checkReadyFile(path: string): void {
  const abs = resolve(path);
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (st && !st.isFile())
    throw new UsageError(`invalid --ready-file ${path}: it exists and is ${kind(st)}, not a regular file`, {
      hint: 'Give a path of your own that does not exist yet (it is created once deliveries are accepted), for example in $XDG_RUNTIME_DIR or a folder made with mktemp -d.',
    });
  const dir = dirname(abs);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`invalid --ready-file ${path}: the folder ${dir} does not exist`);
  // A file left by an earlier run (or planted) goes now: a script that waits for the file to
  // appear must never read a URL that is not this listener's.
  if (st) {
    try {
      unlinkSync(abs);
    } catch (e) {
      throw new UsageError(
        `invalid --ready-file ${path}: a file is there already and cannot be removed (${(e as NodeJS.ErrnoException).code}); it may be another user's`,
        { hint: 'Give a path of your own that does not exist yet, for example in a folder made with mktemp -d.' },
      );
    }
  }
}

/** Removes the ready file on the way out, if it still holds what this run wrote. */
export function removeReadyFile(path: string, text: string): void {
  const abs = resolve(path);
  try {
    if (lstatSync(abs).isFile() && readFileSync(abs, 'utf8') === text) unlinkSync(abs);
  } catch {
    // Gone already, or replaced: not ours to remove.
  }
}

/** Puts `text` at `path`: written to a new file beside it, then renamed into place. */
export function writeReadyFile(path: string, text: string): void {
  const abs = resolve(path);
  const temporary = join(dirname(abs), `.${basename(abs)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  // 0666 before the umask: the mode writeFileSync gave it.
  const fd = openSync(temporary, 'wx', 0o666);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, abs);
  } catch (e) {
    unlinkSync(temporary);
    throw e;
  }
}
