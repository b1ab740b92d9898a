// Ids that come from elsewhere (an API answer, an agent's tool call) used as a file name or as a
// command-line word: only a safe character set passes, and a new file never lands outside its
// folder or on top of an existing one. The API documents its id formats only by example
// (wh_…, evt_…, UUIDs), so the set is the one those examples need, not a guess at the grammar.
import { linkSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Longer than any id the API or the record makes (29 for wh_…, 36 for a UUID), short enough for any file system. */
export const MAX_ID_LENGTH = 128;

const SAFE_ID = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** Why `id` may not name a file or stand as an argument, or undefined when it may. */
export function unsafeIdReason(id: unknown): string | undefined {
  if (typeof id !== 'string' || id === '') return 'it is empty';
  if (id.length > MAX_ID_LENGTH) return `it is longer than ${MAX_ID_LENGTH} characters`;
  // An id read as an option (`-h`, `--edit`) would change what a command does.
  if (id.startsWith('-')) return 'it starts with "-"';
  if (!SAFE_ID.test(id)) return 'it has characters other than letters, digits, "_" and "-"';
  return undefined;
}

/** `id` quoted for a message, with anything unprintable escaped and a long one cut. */
export function quoteId(id: unknown): string {
  const text = JSON.stringify(String(id)).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > 80 ? `${text.slice(0, 77)}…"` : text;
}

/**
 * The path `<dir>/<id><suffix>`, or undefined when the id is not safe or the path would not be
 * directly inside `dir` (the second check holds even if the character set ever grows).
 */
export function fileForId(dir: string, id: string, suffix: string): string | undefined {
  if (unsafeIdReason(id) !== undefined) return undefined;
  const folder = resolve(dir);
  const path = resolve(folder, `${id}${suffix}`);
  return dirname(path) === folder ? join(folder, `${id}${suffix}`) : undefined;
}

/**
 * Gives the file at `from` the name `to`, which must not exist: a hard link then an unlink, because
 * rename() replaces an existing file (or a link planted there) without a word. Throws EEXIST.
 */
export function moveToNewName(from: string, to: string): void {
  linkSync(from, to);
  unlinkSync(from);
}
