// What the render of a webhooks command needs to know of a result beyond the value `--json` prints:
// that it is the request a --dry-run describes, that people see nothing of it on stdout (a line on
// stderr said it all), or the line of what was done that they read first. The mark is kept beside
// the value (a WeakMap keyed by it), not in it: `--json` prints the value untouched, and no field of
// an API's answer can pose as a mark.
import type { DescribedRequest } from '../../../api/client.js';

export type Outcome =
  /** The request a --dry-run describes: people see it as a request, and that nothing was sent. */
  | { readonly kind: 'dry-run' }
  /** A dry run with nothing to send: people see nothing on stdout (stderr said why). */
  | { readonly kind: 'unsent' }
  /** A change made: people read `what` (on stderr), then the value. */
  | { readonly kind: 'done'; readonly what: string };

const outcomes = new WeakMap<object, Outcome>();

export function marked<T extends object>(value: T, outcome: Outcome): T {
  outcomes.set(value, outcome);
  return value;
}

export function outcomeOf(value: object): Outcome | undefined {
  return outcomes.get(value);
}

/** The request a --dry-run describes (key redacted), marked so its render prints it as a request. */
export function dryRun(req: DescribedRequest): DescribedRequest {
  return marked(req, { kind: 'dry-run' });
}

export function isDryRun(value: object): value is DescribedRequest {
  return outcomes.get(value)?.kind === 'dry-run';
}
