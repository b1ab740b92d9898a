// How the problems of an apply file are told: one usage error listing each with its line and
// column (the first 50), with the hint that fits them — `create`'s advice when a URL is refused
// by a rule that --allow-local-targets lifts, and where ids come from when one is unknown.
import { UsageError } from '../../../errors.js';
import { EVENT_TYPES } from '../../../core/events.js';
import type { UrlRule } from '../../../core/url-rules.js';
import { didYouMean } from '../../../lib/suggest.js';
import { quoteId } from '../../../lib/safe-name.js';
import { urlRuleHint } from '../../flags.js';

export interface FileProblem {
  line: number;
  column: number;
  /** Where in the document: `webhooks[1].events[0]`. */
  path: string;
  message: string;
}

/** Where a value sits in the file, kept to report a problem found after parsing (an unknown id). */
export type FilePlace = Omit<FileProblem, 'message'>;

/** How many problems are listed; the rest are counted (a file of 100,000 bad entries is not 24 MB of errors). */
export const MAX_LISTED_PROBLEMS = 50;

const FILE_SHAPE = 'The file is {"webhooks": [{"id"?, "url", "events": [...], "description"?, "enabled"?}]}';

export const unknownKey = (key: string, known: readonly string[]) =>
  `unknown key "${key}".${didYouMean(key, known) || ` The keys are ${known.join(', ')}.`}`;

/**
 * The problems in file order, as one usage error: nothing is sent. The hint says what the file is,
 * then `also` (advice for some of the problems); `hint` replaces both.
 */
export function fileError(
  name: string,
  problems: FileProblem[],
  { hint, also }: { hint?: string; also?: string } = {},
): UsageError {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
  const lines = sorted
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((p) => `  ${name}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
  const more = problems.length - lines.length;
  if (more > 0) lines.push(`  … and ${more} more problem${more === 1 ? '' : 's'}`);
  return new UsageError(
    `${name} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was sent:\n${lines.join('\n')}`,
    {
      hint:
        hint ??
        `${FILE_SHAPE}; the rules are those of \`anchor webhooks create\`. Event types: \`anchor events list\` (${EVENT_TYPES.length} of them).${also ? `\n${also}` : ''}`,
    },
  );
}

/**
 * The hint for a file whose URLs were refused by `rules`: create's advice for the first rule that
 * has one, with the environment variable too, since CI sets that once for every step.
 */
export function urlRulesHint(rules: ReadonlySet<UrlRule>): string | undefined {
  for (const rule of rules) {
    const advice = urlRuleHint(rule);
    if (!advice) continue;
    const local = advice.includes('--allow-local-targets')
      ? ' For apply: `anchor webhooks apply -f <file> --allow-local-targets`, or ANCHOR_ALLOW_LOCAL_TARGETS=1 in the environment.'
      : '';
    return `${advice}${local}`;
  }
  return undefined;
}

/** The entries whose `id` names no webhook of the project, as file problems (undefined when none). */
export function unknownIdsError(
  name: string,
  pinned: ReadonlyArray<{ id: string; place: FilePlace }>,
  existing: ReadonlySet<string>,
  temporary: ReadonlySet<string> = new Set(),
): UsageError | undefined {
  const problems = pinned
    .filter((p) => !existing.has(p.id))
    .map(({ id, place }) => ({
      ...place,
      message: temporary.has(id)
        ? `${quoteId(id)} is the temporary webhook of a running \`listen --register\`, deleted when it stops: it is not configuration`
        : `no webhook ${quoteId(id)} in this project; an \`id\` must name a webhook that exists`,
    }));
  if (!problems.length) return undefined;
  return fileError(name, problems, {
    hint: 'A webhook that was deleted, or a temporary one of `listen --register`: remove its whole entry. One that should exist at that URL: remove only its `id` line, and apply creates it. Else take the ids from `anchor webhooks export` (or `anchor webhooks list`).',
  });
}
