// What `listen` checks of its --forward-to routes beyond each value's syntax: every pattern matches
// a type of the event catalog (like --events, with "did you mean"), at most one default, no
// pattern twice, and none that is the --register URL itself (deliveries would skip the listener).
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

/** A URL as deliveries reach it: origin and path, without a trailing slash; undefined when unparsable. */
function sameTarget(url: string | URL): string | undefined {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}

/**
 * --register is the public URL that reaches this listener; when it is the app's own URL (a
 * --forward-to route's), Anchor would deliver straight to the app, signed with a temporary secret
 * the app cannot know (401 on every delivery). Refused before anything is registered.
 */
export function checkRegisterTarget(register: string | undefined, routes: readonly ForwardRoute[]): void {
  if (register === undefined) return;
  const target = sameTarget(register);
  if (target === undefined) return;
  const same = routes.find((r) => sameTarget(r.url) === target);
  if (!same) return;
  const flag = same.pattern === undefined ? `--forward-to ${same.url}` : `--forward-to '${same.pattern}=${same.url}'`;
  throw new UsageError(
    `--register ${register} is your app's own URL (${flag}): Anchor would deliver straight to the app, signed with a temporary secret it cannot verify`,
    {
      hint: "--register takes the public URL that reaches this listener (its --port), such as a tunnel's to it; or let listen start one with --tunnel cloudflared|ngrok|ssh.",
    },
  );
}
