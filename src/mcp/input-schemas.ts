// The parts of the tools' input schemas that refuse what they do not know, each refusal said in
// the model's words: an unknown argument (named, with the ones the tool takes and the likely one
// meant), a value outside a closed list (statuses, event types), an id of the wrong kind. The
// SDK checks them before a call runs; the commands' own checks still run after.
import { z } from 'zod';
import { EVENT_TYPES } from '../core/events.js';
import { suggest } from '../lib/suggest.js';
import { MAX_ID_LENGTH, quoteId } from '../lib/safe-name.js';
import type { ToolArgs } from './tool-input.js';

const didYouMean = (input: unknown, candidates: readonly string[]): string => {
  const close = typeof input === 'string' ? suggest(input, candidates) : [];
  return close.length ? ` Did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
};

/** A tool's arguments as one object that refuses an argument it does not know, naming it. */
export function strictInput(tool: string, shape: Record<string, z.ZodType>): z.ZodType<ToolArgs> {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const [first] = issue.keys;
      const takes = known.length ? `${tool} takes ${known.join(', ')}` : `${tool} takes no arguments`;
      return `unknown argument${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: ${takes}.${didYouMean(first, known)}`;
    },
  });
}

/** A list argument: a comma string (what a flag takes) is refused with the list it should be. */
export function listOf(item: z.ZodType): z.ZodType<unknown[]> {
  return z.array(item, {
    error: (issue) =>
      issue.code === 'invalid_type' && typeof issue.input === 'string'
        ? `give a list of strings, such as ${JSON.stringify(issue.input.split(',').map((v) => v.trim()))}, not one string`
        : undefined,
  });
}

/** One of a closed list of values (a delivery status), refused with the list. */
export function choiceOf(values: readonly string[]): z.ZodType {
  return z.enum(values as [string, ...string[]], {
    error: (issue) => `${quoteId(issue.input)} is not one of ${values.join(', ')}.${didYouMean(issue.input, values)}`,
  });
}

/** An Anchor event type, refused with the closest ones and where the list is. */
export function eventTypeOf(): z.ZodType {
  return z.enum(EVENT_TYPES as [string, ...string[]], {
    error: (issue) =>
      `${quoteId(issue.input)} is not an Anchor event type.${didYouMean(issue.input, EVENT_TYPES)} list_event_types lists them.`,
  });
}

/** An id that starts with one of `prefixes` (a webhook's wh_…), or matches `alsoPattern`. */
export function idOf(
  kind: string,
  from: string,
  prefixes: readonly string[],
  also?: { pattern: string; name: string },
) {
  const body = `[A-Za-z0-9_-]{1,${MAX_ID_LENGTH - 4}}`;
  const alternatives = [...prefixes.map((p) => `${p}${body}`), ...(also ? [also.pattern] : [])];
  const pattern = new RegExp(`^(?:${alternatives.join('|')})$`);
  const forms = [...prefixes.map((p) => `${p}…`), ...(also ? [also.name] : [])].join(', ');
  return z.string().regex(pattern, {
    error: (issue) => `${quoteId(issue.input)} is not a ${kind} id (${forms}); take one from ${from}.`,
  });
}

/** A delivery id, as Anchor makes them (a UUID). */
export const UUID = {
  pattern: '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}',
  name: 'a delivery id (a UUID)',
};
