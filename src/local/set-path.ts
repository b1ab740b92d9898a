// `--set <path>=<value>`: overrides one field of an envelope by dotted path (`data.task_id=abc`).
// The value is JSON when it parses as JSON, else the string as typed. A path never reaches an
// object's prototype.

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

export interface Assignment {
  path: string[];
  value: unknown;
  /** The value as typed. */
  text: string;
}

/** `data.task_id=abc` → { path: ['data', 'task_id'], value: 'abc' }; a message when malformed. */
export function parseAssignment(text: string): Assignment | string {
  const eq = text.indexOf('=');
  if (eq <= 0) return 'give <path>=<value>, e.g. data.task_id=tsk_123';
  const path = text.slice(0, eq).split('.');
  if (path.some((p) => p === '')) return `"${text.slice(0, eq)}" is not a dotted path (an empty part)`;
  const bad = path.find((p) => FORBIDDEN.has(p));
  if (bad) return `"${bad}" cannot be set`;
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: the string as typed.
  }
  return { path, value, text: raw };
}

/** Sets `value` at `path` inside `target`, making objects on the way; a message when it cannot. */
export function setPath(target: Record<string, unknown>, { path, value }: Assignment): string | undefined {
  let node: unknown = target;
  for (const [i, key] of path.entries()) {
    const last = i === path.length - 1;
    const where = path.slice(0, i).join('.') || 'the envelope';
    if (Array.isArray(node)) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || index > node.length)
        return `${where} is a list of ${node.length}; "${key}" is not an index of it`;
      if (last) node[index] = value;
      else {
        if (typeof node[index] !== 'object' || node[index] === null) node[index] = {};
        node = node[index];
      }
      continue;
    }
    if (typeof node !== 'object' || node === null) return `${where} is ${JSON.stringify(node)}, not an object`;
    const obj = node as Record<string, unknown>;
    if (last) {
      Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      if (!Object.prototype.hasOwnProperty.call(obj, key) || obj[key] === undefined || obj[key] === null)
        Object.defineProperty(obj, key, { value: {}, enumerable: true, writable: true, configurable: true });
      node = obj[key];
    }
  }
  return undefined;
}

/** Whether `target` has the value at the path: equal as JSON, or a scalar equal to the text typed. */
export function hasValue(target: unknown, { path, value, text }: Assignment): boolean {
  let node: unknown = target;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  if (JSON.stringify(node) === JSON.stringify(value)) return true;
  return (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') && String(node) === text;
}
