// What `anchor webhooks apply` would change: the project's webhooks matched to the file's by id
// when an entry pins one (so a new URL is an update, keeping the webhook and its secret), else by
// (normalized) URL; each a create, an update (with the fields that differ), a delete (only with
// --prune) or unchanged, in the order they are applied.
import type { UpdateRequest, WebhookPublic } from '../../../api/schemas.js';
import { normalizeWebhookUrl } from '../../../core/url-rules.js';
import type { DesiredWebhook } from './file.js';

export type Action = 'create' | 'update' | 'delete' | 'unchanged';

export interface Change {
  from: unknown;
  to: unknown;
}

/** One line of the plan, as --json prints it. */
export interface PlanEntry {
  action: Action;
  url: string;
  id?: string;
  changes?: Record<string, Change>;
}

export interface Step {
  entry: PlanEntry;
  desired?: DesiredWebhook;
  body?: UpdateRequest;
}

export interface Plan {
  /** Deletes, updates, creates, then the unchanged: the order they are applied in. */
  steps: Step[];
  /** Webhooks of the project the file does not list, left alone without --prune. */
  untouched: WebhookPublic[];
  /** How many webhooks the project has once the plan is applied. */
  resulting: number;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

/**
 * What it takes to go from `current` to `desired`: an entry with an id is that webhook (the caller
 * has checked that each id exists: unknownIdsError), the others are matched by (normalized) URL
 * among the webhooks no id claimed.
 */
export function makePlan(desired: readonly DesiredWebhook[], current: readonly WebhookPublic[], prune: boolean): Plan {
  const byId = new Map(current.map((w) => [w.id, w]));
  const pinned = (d: DesiredWebhook) => {
    const w = byId.get(d.id!);
    if (!w) throw new Error(`makePlan: ${d.id} is not a webhook of the project`);
    return w;
  };
  // Claimed first, so that an entry matched by URL never takes a webhook another entry names.
  const matched = new Set<WebhookPublic>(desired.filter((d) => d.id !== undefined).map(pinned));
  const updates: Step[] = [];
  const creates: Step[] = [];
  const unchanged: Step[] = [];
  for (const d of desired) {
    const w = d.id !== undefined ? pinned(d) : current.find((c) => !matched.has(c) && sameUrl(c.url, d.url));
    if (!w) {
      creates.push({ entry: { action: 'create', url: d.url }, desired: d });
      continue;
    }
    matched.add(w);
    const changes: Record<string, Change> = {};
    const body: UpdateRequest = {};
    const urlChanged = !sameUrl(w.url, d.url);
    if (urlChanged) {
      changes.url = { from: w.url, to: d.url };
      body.url = d.url;
    }
    if (!sameSet(w.subscribed_events, d.events)) {
      changes.events = { from: w.subscribed_events, to: d.events };
      body.subscribed_events = d.events;
    }
    if ((w.description ?? null) !== d.description) {
      changes.description = { from: w.description ?? null, to: d.description };
      body.description = d.description;
    }
    if (w.enabled !== d.enabled) {
      changes.enabled = { from: w.enabled, to: d.enabled };
      body.enabled = d.enabled;
    }
    if (Object.keys(changes).length === 0) unchanged.push({ entry: { action: 'unchanged', url: w.url, id: w.id } });
    else
      updates.push({
        entry: { action: 'update', url: urlChanged ? d.url : w.url, id: w.id, changes },
        desired: d,
        body,
      });
  }
  const rest = current.filter((c) => !matched.has(c));
  const deletes: Step[] = prune ? rest.map((w) => ({ entry: { action: 'delete', url: w.url, id: w.id } })) : [];
  return {
    steps: [...deletes, ...updates, ...creates, ...unchanged],
    untouched: prune ? [] : rest,
    resulting: current.length - deletes.length + creates.length,
  };
}

function sameUrl(a: string, b: string): boolean {
  try {
    return normalizeWebhookUrl(a) === normalizeWebhookUrl(b);
  } catch {
    return a === b;
  }
}
