// `listen --forward-to`'s routes: which app an event goes to by its type (a value's syntax is in
// lib/http-url.ts, which listen's declaration parses it with). Matching is the first route in the
// order given, then the default; an event with neither is not forwarded.
import type { ForwardRoute } from '../lib/http-url.js';

export type { ForwardRoute };
export { splitForwardValue } from '../lib/http-url.js';

/** Whether `type` matches `pattern`, where `*` stands for any run of characters, dots included. */
export function typeMatches(pattern: string, type: string): boolean {
  if (!pattern.includes('*')) return pattern === type;
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return re.test(type);
}

const escapeRegExp = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/**
 * What is wrong with the routes as a whole (two defaults, one pattern twice), naming both values;
 * undefined when they are fine.
 */
export function routesProblem(routes: readonly ForwardRoute[]): string | undefined {
  const defaults = routes.filter((r) => r.pattern === undefined);
  if (defaults.length > 1)
    return `two default targets, ${defaults[0]!.url} and ${defaults[1]!.url}: give at most one --forward-to without a type pattern (route the others with '<type pattern>=<url>')`;
  const seen = new Map<string, ForwardRoute>();
  for (const r of routes) {
    if (r.pattern === undefined) continue;
    const before = seen.get(r.pattern);
    if (before)
      return `two routes for ${r.pattern}, to ${before.url} and ${r.url}: only the first would ever be used; keep one`;
    seen.set(r.pattern, r);
  }
  return undefined;
}

/** The route an event of `type` takes: the first pattern that matches, else the default. */
export function routeFor(routes: readonly ForwardRoute[], type: string): ForwardRoute | undefined {
  return (
    routes.find((r) => r.pattern !== undefined && typeMatches(r.pattern, type)) ??
    routes.find((r) => r.pattern === undefined)
  );
}

/** Whether routes by type are in use (then lines name the route each event took). */
export function usesPatterns(routes: readonly ForwardRoute[]): boolean {
  return routes.some((r) => r.pattern !== undefined);
}

/** What an event's route is called in lines and records: its pattern, or nothing for the default. */
export function routeLabel(r: ForwardRoute): { route?: string } {
  return r.pattern !== undefined ? { route: r.pattern } : {};
}
