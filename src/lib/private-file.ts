// Small files that only their owner may read or write (secrets and tokens in the state folder):
// read without following a link, within a size limit, with the file's stat for the caller to
// judge; written to a new 0600 file beside the name and renamed into place, so a link planted
// under the name is replaced, never written through.
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { randomBytes } from 'node:crypto';

/** What reading a private file found. */
export type PrivateRead =
  | { kind: 'missing' }
  | { kind: 'link' }
  | { kind: 'unreadable'; code: string }
  /** `text` is at most `max` bytes; `over` when the file held more. */
  | { kind: 'file'; stat: Stats; text: string; over: boolean };

/** Whether others than the owner may read or write it (never on Windows, where modes are not kept). */
export const othersMayTouch = (st: Pick<Stats, 'mode'>): boolean =>
  process.platform !== 'win32' && (st.mode & 0o077) !== 0;

/**
 * Reads `path` without following a link (O_NOFOLLOW) or blocking on a FIFO (O_NONBLOCK). `judge`
 * sees the stat before anything is read, and may throw: a file it refuses is never read.
 */
export function readPrivateFile(path: string, max: number, judge?: (st: Stats) => void): PrivateRead {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'link' };
    return { kind: 'unreadable', code };
  }
  try {
    const stat = fstatSync(fd);
    judge?.(stat);
    if (!stat.isFile()) return { kind: 'file', stat, text: '', over: false };
    const buf = Buffer.alloc(max + 1);
    let size = 0;
    for (let n = -1; n !== 0 && size < buf.length; size += n) n = readSync(fd, buf, size, buf.length - size, null);
    return { kind: 'file', stat, text: buf.subarray(0, Math.min(size, max)).toString('latin1'), over: size > max };
  } finally {
    closeSync(fd);
  }
}

/** `text` in a new 0600 file beside `path`, written and flushed; returns the new file's name. */
export function writePrivateTemporary(path: string, text: string): string {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temporary;
}

/** Replaces `path` with a new 0600 file holding `text` (rename replaces the name, never a link's target). */
export function replacePrivateFile(path: string, text: string): void {
  const temporary = writePrivateTemporary(path, text);
  try {
    renameSync(temporary, path);
  } catch (e) {
    unlinkSync(temporary);
    throw e;
  }
}
