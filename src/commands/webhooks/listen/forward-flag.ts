// `listen --forward-to`, repeatable: each value a default target (a URL) or a route by event type
// (`task.*=http://…`), parsed with the same URL rules as every app URL flag (value-flags.ts).
import { UsageError } from '../../../errors.js';
import { APP_URL_EXAMPLE, parseHttpUrl } from '../../../lib/http-url.js';
import { splitForwardValue, type ForwardRoute } from '../../../local/forward-routes.js';
import { asString } from '../../flag-builders.js';
import type { Flag } from '../../spec.js';

const HINT = `For example: --forward-to ${APP_URL_EXAMPLE}, or by type: --forward-to 'task.*=http://localhost:3000/tasks' (repeat it; one value without a pattern is the default)`;

/** One value: a route when what precedes its first `=` is a type pattern, else a URL. */
export function parseForwardValue(value: string): ForwardRoute {
  const { pattern, url } = splitForwardValue(value);
  const parsed = parseHttpUrl(url);
  if (typeof parsed === 'string')
    // Named by its own value: the flag repeats, and the message says which one is wrong.
    throw new UsageError(
      `invalid --forward-to "${value}": ${pattern !== undefined ? `the URL of route ${pattern} is ` : ''}${parsed}; give an http:// or https:// URL`,
      { hint: HINT },
    );
  return { ...(pattern !== undefined ? { pattern } : {}), url: parsed };
}

/** The routes in the order given; [] when the flag is not given. */
export function forwardRoutes(flags: string, description: string): Flag<ForwardRoute[]> {
  return {
    flags,
    description,
    type: 'string[]',
    repeat: true,
    parse: (raw) => {
      const values = Array.isArray(raw) ? raw.map(String) : asString(raw) !== undefined ? [raw as string] : [];
      return values.map(parseForwardValue);
    },
  };
}
