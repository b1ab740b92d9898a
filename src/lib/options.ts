// Turns raw commander values into a command's typed options with its zod schema; a failure is a
// UsageError that names the flag as the user typed it.
import type { z } from 'zod';
import { UsageError } from '../errors.js';

const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function parseOptions<T extends z.ZodType>(schema: T, raw: Record<string, unknown>): z.infer<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const value = key ? raw[key] : undefined;
  const shown = value === undefined ? '' : ` "${Array.isArray(value) ? value.join(',') : String(value)}"`;
  throw new UsageError(`invalid ${key ? flagName(key) : 'options'}${shown}: ${issue.message}`);
}
