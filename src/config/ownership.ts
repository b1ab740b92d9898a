// Whose the config file is: one that another user owns is not read, since its owner can read the
// API key stored in it and change the API URL that key is sent to. Shared by the config store
// and the completion query (which must stay light: no imports at run time).
import type { Stats } from 'node:fs';

/** This process's user id, where the platform has one (not on Windows). */
export const currentUid = (): number | undefined =>
  typeof process.getuid === 'function' ? process.getuid() : undefined;

/** The uid of another user who owns `stat`, or undefined when it is ours (or owners cannot be told). */
export function foreignOwner(stat: Pick<Stats, 'uid'>): number | undefined {
  const uid = currentUid();
  return uid !== undefined && stat.uid !== uid ? stat.uid : undefined;
}
