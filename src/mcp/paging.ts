// One way to page every list tool: `offset` and `limit` in, `{ items, total, offset, next_offset? }`
// out, and a summary that says where the next page starts ("deliveries: 25 of 31, next offset 25").
// The delivery log pages at the API; the lists a command gives whole (webhooks, event types, the
// record) are paged here.
import { z } from 'zod';
import { at, isRecord } from './read.js';
import type { ToolArg } from './tool-def.js';
import type { ToolArgs } from './tool-input.js';

export const PAGE_LIMIT_DEFAULT = 25;
export const PAGE_LIMIT_MAX = 100;

export interface Page {
  [key: string]: unknown;
  items: unknown[];
  total: number;
  offset: number;
  next_offset?: number;
}

const pageArg = (schema: z.ZodType, flag?: string): ToolArg => ({
  schema: schema.optional(),
  ...(flag ? { flags: [`--${flag}`] } : {}),
  put: (value, into) => {
    if (flag) into.flags[flag] = String(value);
  },
});

/**
 * `offset` and `limit`; with `toCommand`, they go to the command's own --offset and --limit
 * (the delivery log pages at the API), else the tool pages what the command gave.
 */
export function pageArgs(toCommand = false): { offset: ToolArg; limit: ToolArg } {
  return {
    offset: pageArg(
      z.int().min(0).describe('How many to skip: the next_offset of the previous page (default 0).'),
      toCommand ? 'offset' : undefined,
    ),
    limit: pageArg(
      z
        .int()
        .min(1)
        .max(PAGE_LIMIT_MAX)
        .describe(`How many to return, 1-${PAGE_LIMIT_MAX} (default ${PAGE_LIMIT_DEFAULT}).`),
      toCommand ? 'limit' : undefined,
    ),
  };
}

const offsetOf = (args: ToolArgs) => (typeof args.offset === 'number' ? args.offset : 0);
const limitOf = (args: ToolArgs) => (typeof args.limit === 'number' ? args.limit : PAGE_LIMIT_DEFAULT);

function page(items: unknown[], total: number, offset: number): Page {
  const next = offset + items.length;
  return { items, total, offset, ...(next < total && items.length > 0 ? { next_offset: next } : {}) };
}

/** A page of a whole list the command gave (an array). */
export function pageOfList(out: unknown, args: ToolArgs): Page {
  const all = Array.isArray(out) ? out : [];
  const offset = offsetOf(args);
  return page(all.slice(offset, offset + limitOf(args)), all.length, offset);
}

/** A page of the delivery log, from the API's `{ events, pagination }`. */
export function pageOfDeliveries(out: unknown): Page {
  const events = at(out, 'events');
  const total = at(out, 'pagination', 'total');
  const offset = at(out, 'pagination', 'offset');
  const items = Array.isArray(events) ? events : [];
  return page(items, typeof total === 'number' ? total : items.length, typeof offset === 'number' ? offset : 0);
}

/** "deliveries: 25 of 31, next offset 25" (or "… 6 of 31, the last page"). */
export function pageSummary(noun: string, out: unknown): string {
  if (!isRecord(out) || !Array.isArray(out.items)) return `${noun}: none`;
  const { items, total, next_offset: next } = out as Page;
  if (total === 0) return `${noun}: none`;
  return `${noun}: ${items.length} of ${total}${typeof next === 'number' ? `, next offset ${next}` : ''}`;
}
