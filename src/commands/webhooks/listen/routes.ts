// What `listen` checks of its --forward-to routes beyond each value's syntax: every pattern matches
// a type of the event catalog (like --events, with "did you mean"), at most one default, and no
// pattern twice.
import { UsageError } from '../../../errors.js';
import { ENTITIES, EVENT_TYPES } from '../../../core/events.js';
import { didYouMean } from '../../../lib/suggest.js';
import { routesProblem, typeMatches, type ForwardRoute } from '../../../local/forward-routes.js';

/** What is wrong with a pattern against the event catalog; undefined when it matches a known type. */
export function patternProblem(pattern: string): string | undefined {
  if (EVENT_TYPES.some((t) => typeMatches(pattern, t))) return undefined;
  const candidates = [...ENTITIES.map((e) => `${e}.*`), ...EVENT_TYPES];
  return `it matches no Anchor event type.${didYouMean(pattern, candidates)}`;
}

export function checkRoutes(routes: readonly ForwardRoute[]): void {
  for (const r of routes) {
    if (r.pattern === undefined) continue;
    const problem = patternProblem(r.pattern);
    if (problem)
      throw new UsageError(`invalid --forward-to "${r.pattern}=${r.url}": ${problem}`, {
        hint: 'See every type with `anchor events list`; `*` stands for any part of a type (task.*).',
      });
  }
  const problem = routesProblem(routes);
  if (problem) throw new UsageError(`invalid --forward-to: ${problem}`);
}
