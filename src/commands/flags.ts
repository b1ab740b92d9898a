// The flags commands share, checked with the API's own rules before anything is sent: event types
// (with "did you mean"), webhook URLs and descriptions, and the local-targets switch.
import { UsageError } from '../errors.js';
import { EVENT_TYPES, isEventType } from '../core/events.js';
import { checkWebhookUrl, checkDescription, type UrlRule } from '../core/url-rules.js';
import { didYouMean } from '../lib/suggest.js';

/** What is wrong with an event type, as the flags and the apply file both say it; undefined when fine. */
export function eventTypeProblem(e: string): string | undefined {
  return isEventType(e) ? undefined : `not an Anchor event type.${didYouMean(e, EVENT_TYPES)}`;
}

export function checkEventsFlag(events: readonly string[], flag: string): void {
  for (const e of events) {
    const problem = eventTypeProblem(e);
    if (problem) {
      throw new UsageError(`invalid ${flag} "${e}": ${problem}`, {
        hint: 'See every type with `anchor events list`.',
      });
    }
  }
}

/** A single event-type argument or flag (`label`, e.g. "--event"): present and in the catalog. */
export function requireEventType(type: string | undefined, label: string, usage?: string): string {
  if (!type) throw new UsageError(`missing ${label}`, { hint: usage ?? 'See every type with `anchor events list`.' });
  checkEventsFlag([type], label);
  return type;
}

export function allowLocalTargets(flag: boolean | undefined, env: Record<string, string | undefined>): boolean {
  return flag === true || env.ANCHOR_ALLOW_LOCAL_TARGETS === '1' || env.ANCHOR_ALLOW_LOCAL_TARGETS === 'true';
}

/** What create says to do about a URL the rules refuse, by rule; `apply` gives the same advice for its file. */
export function urlRuleHint(rule: UrlRule): string | undefined {
  return URL_RULE_HINTS[rule];
}

const URL_RULE_HINTS: Partial<Record<UrlRule, string>> = {
  scheme: 'Anchor delivers only over https://. For a local receiver behind the emulator, pass --allow-local-targets.',
  loopback:
    'Anchor cannot reach your machine. Use a public tunnel URL, `anchor webhooks listen`, or the emulator with --allow-local-targets.',
  private: 'Anchor delivers only to public addresses. For local testing use the emulator with --allow-local-targets.',
  link_local: 'Anchor delivers only to public addresses.',
  internal_tld:
    'Anchor resolves webhook hosts in the public DNS: use a public name (a tunnel URL works). For a local receiver behind the emulator, pass --allow-local-targets.',
  metadata:
    'Anchor delivers only to public receivers, never to a cloud platform or metadata endpoint. For a local receiver behind the emulator, pass --allow-local-targets.',
  credentials: 'Remove user:pass@ from the URL; verify the Anchor-Signature header in your handler instead.',
  too_long: 'Shorten the URL to at most 2048 characters.',
};

export function checkUrlFlag(url: string, allowLocal: boolean, flag = '--url'): void {
  const v = checkWebhookUrl(url, { allowLocalTargets: allowLocal });
  if (v.ok) return;
  throw new UsageError(`invalid ${flag}: ${v.message}`, { hint: urlRuleHint(v.rule) });
}

export function checkDescriptionFlag(description: string | undefined): void {
  if (description === undefined) return;
  const v = checkDescription(description);
  if (!v.ok) throw new UsageError(`invalid --description: ${v.message}`);
}
