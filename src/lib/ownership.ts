// Whose a file or folder is, and who else may write it: the one place anchor decides whether a
// config file, a record, a secret folder or a state folder on a shared machine can be trusted.
// Import-free at run time, so the completion query can use it too.
import type { Stats } from 'node:fs';

/** This process's user id, where the platform has one (not on Windows). */
export const currentUid = (): number | undefined =>
  typeof process.getuid === 'function' ? process.getuid() : undefined;

/** The uid of another user who owns `stat`, or undefined when it is ours (or owners cannot be told). */
export function foreignOwner(stat: Pick<Stats, 'uid'>): number | undefined {
  const uid = currentUid();
  return uid !== undefined && stat.uid !== uid ? stat.uid : undefined;
}

/** Whether others may write it: the group or the world write bit (never on Windows, where modes are not kept). */
export const writableByOthers = (stat: Pick<Stats, 'mode'>): boolean =>
  process.platform !== 'win32' && (stat.mode & 0o022) !== 0;
