// The event-type argument of `events show` and `events trigger`: one declaration, completed with
// the catalog's types.
import { arg } from '../../spec.js';

export const typeArg = arg('[type]', 'event type, e.g. task.completed', { completes: 'event-types' });
