// Validation of a webhook's fields with the API's own rules: one function per field, used by the
// emulator (400) and the CLI (exit 2, naming the flag), so both always agree.
import { checkDescription, checkWebhookUrl, type UrlRuleOptions } from './url-rules.js';
import { EVENT_TYPES, isEventType } from './events.js';
import { didYouMean } from '../lib/suggest.js';

export type Problem = { field: 'url' | 'subscribed_events' | 'description'; message: string };

/** A refusal that --allow-local-targets would lift says so (`localHint`): the emulator's case. */
export function urlProblem(url: string, options: UrlRuleOptions & { localHint?: string } = {}): Problem | undefined {
  const v = checkWebhookUrl(url, options);
  if (v.ok) return undefined;
  const liftable =
    options.localHint !== undefined &&
    !options.allowLocalTargets &&
    checkWebhookUrl(url, { allowLocalTargets: true }).ok;
  return { field: 'url', message: liftable ? `${v.message}. ${options.localHint}` : v.message };
}

export function eventsProblem(events: readonly string[]): Problem | undefined {
  if (events.length === 0) return { field: 'subscribed_events', message: 'at least one event type is required' };
  for (const e of events) {
    if (!isEventType(e)) {
      return { field: 'subscribed_events', message: `unknown event type "${e}".${didYouMean(e, EVENT_TYPES)}` };
    }
  }
  return undefined;
}

export function descriptionProblem(description: string | null | undefined): Problem | undefined {
  if (description === null || description === undefined) return undefined;
  const v = checkDescription(description);
  return v.ok ? undefined : { field: 'description', message: v.message };
}
