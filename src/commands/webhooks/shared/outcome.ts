// What the render of a webhooks command needs to know of a result beyond the value `--json` prints:
// that it is the request a --dry-run describes, that people see nothing of it on stdout (a line on
// stderr said it all), or the line of what was done that they read first: the result's view
// (result-view.ts), which no field of an API's answer can pose as.
import type { DescribedRequest } from '../../../api/client.js';
import { peekView, withView } from '../../result-view.js';

export type Outcome =
  /** The request a --dry-run describes: people see it as a request, and that nothing was sent. */
  | { readonly kind: 'dry-run' }
  /** A dry run with nothing to send: people see nothing on stdout (stderr said why). */
  | { readonly kind: 'unsent' }
  /** A change made: people read `what` (on stderr), then the value. */
  | { readonly kind: 'done'; readonly what: string };

export function marked<T extends object>(value: T, outcome: Outcome): T {
  return withView(value, outcome);
}

export function outcomeOf(value: object): Outcome | undefined {
  return peekView<Outcome>(value);
}

/** The request a --dry-run describes (key redacted), marked so its render prints it as a request. */
export function dryRun(req: DescribedRequest): DescribedRequest {
  return marked(req, { kind: 'dry-run' });
}

export function isDryRun(value: object): value is DescribedRequest {
  return outcomeOf(value)?.kind === 'dry-run';
}
