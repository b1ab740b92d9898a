// `listen --forward-to`'s routes: which app an event goes to by its type. A value is a route
// (`task.*=http://…`) only when what comes before its first `=` is a type pattern with no `://`;
// anything else is a URL, the default route. Matching is first route in the order given, then the
// default; an event with neither is not forwarded.
// Kept free of the event catalog: listen's declaration parses the flag with it (checking the
// patterns against the catalog is options' job).

export interface ForwardRoute {
  /** The type pattern (`task.*`, `session.ready`, `*`); none: the default route. */
  pattern?: string;
  url: URL;
}

/** Letters, digits, `_`, `.` and `*`: what the part before `=` must be for the value to be a route. */
const PATTERN = /^[A-Za-z0-9_.*]+$/;

/** A value split into its pattern (when it is a route) and its URL text. */
export function splitForwardValue(value: string): { pattern?: string; url: string } {
  const eq = value.indexOf('=');
  if (eq <= 0) return { url: value };
  const head = value.slice(0, eq);
  // `http://x/?a=b`: the part before `=` holds `://`, so the whole value is a URL.
  if (head.includes('://') || !PATTERN.test(head)) return { url: value };
  return { pattern: head, url: value.slice(eq + 1) };
}

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
