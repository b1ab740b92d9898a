// Reading a command's JSON answer without trusting its shape: a tool's short text and the
// secret-file step look fields up by path, and a field that is not there reads as undefined.
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at `path` in `value`, or undefined where a step is not an object. */
export function at(value: unknown, ...path: string[]): unknown {
  let here = value;
  for (const key of path) {
    if (!isRecord(here)) return undefined;
    here = here[key];
  }
  return here;
}

/** The string at `path`, or undefined. */
export function textAt(value: unknown, ...path: string[]): string | undefined {
  const found = at(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

/** How many items an array answer has (0 for anything else). */
export const countOf = (value: unknown): number => (Array.isArray(value) ? value.length : 0);
