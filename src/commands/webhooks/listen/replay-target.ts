// Where the inspector's replays go from a listener: the default --forward-to as before, or with
// routes by type the route that matches each record's type (none: the URL it was forwarded to).
import type { RecordedRequest } from '../../../local/record.js';
import { routeFor, usesPatterns } from '../../../local/forward-routes.js';
import type { ListenOptions } from './options.js';

export function replayTarget(options: ListenOptions): URL | ((r: RecordedRequest) => URL | undefined) | undefined {
  if (!usesPatterns(options.routes)) return options.forwardTo;
  return (r) => (r.event_type !== undefined ? routeFor(options.routes, r.event_type)?.url : undefined);
}
