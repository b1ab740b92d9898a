// What `update` may send: its flags checked together, the PATCH body they ask for, and the part of
// that body that differs from the webhook as it is.
import { UsageError } from '../../../errors.js';
import type { UpdateRequest, WebhookPublic } from '../../../api/schemas.js';
import { normalizeWebhookUrl } from '../../../core/url-rules.js';
import { allowLocalTargets, checkDescriptionFlag, checkEventsFlag, checkUrlFlag } from '../../flags.js';
import type { FlagValues } from '../../spec.js';
import type { updateCommand } from './decl.js';

export type UpdateOptions = FlagValues<typeof updateCommand>;

/** The PATCH body the flags ask for; `current` is needed only for --add-event/--remove-event. */
export function buildUpdate(options: UpdateOptions, current?: readonly string[]): UpdateRequest {
  const body: UpdateRequest = {};
  if (options.url !== undefined) body.url = normalizeWebhookUrl(options.url);
  if (options.description !== undefined) body.description = options.description === false ? null : options.description;
  if (options.event !== undefined) body.subscribed_events = options.event;
  if (options.addEvent.length || options.removeEvent.length) {
    const base = [...(current ?? [])];
    const next = [...base, ...options.addEvent.filter((e) => !base.includes(e))].filter(
      (e) => !options.removeEvent.includes(e),
    );
    if (next.length === 0) {
      throw new UsageError('invalid --remove-event: a webhook must keep at least one event type', {
        hint: 'Disable it instead with `anchor webhooks disable <id>`, or delete it.',
      });
    }
    body.subscribed_events = next;
  }
  if (options.enable) body.enabled = true;
  if (options.disable) body.enabled = false;
  return body;
}

/** The rules between flags, and each value by the API's rules; `interactive` may leave them all out. */
export function checkUpdateOptions(
  options: UpdateOptions,
  env: Record<string, string | undefined>,
  interactive = false,
): void {
  if (options.enable && options.disable) throw new UsageError('--enable and --disable cannot be used together');
  if (options.event !== undefined && (options.addEvent.length || options.removeEvent.length)) {
    throw new UsageError('--event replaces the whole set; it cannot be combined with --add-event or --remove-event');
  }
  if (options.event !== undefined && options.event.length === 0)
    throw new UsageError('invalid --event: give at least one event type');
  if (options.url !== undefined) checkUrlFlag(options.url, allowLocalTargets(options.allowLocalTargets, env));
  if (options.event) checkEventsFlag(options.event, '--event');
  checkEventsFlag(options.addEvent, '--add-event');
  checkEventsFlag(options.removeEvent, '--remove-event');
  if (typeof options.description === 'string') checkDescriptionFlag(options.description);
  const nothing =
    options.url === undefined &&
    options.description === undefined &&
    options.event === undefined &&
    !options.addEvent.length &&
    !options.removeEvent.length &&
    !options.enable &&
    !options.disable;
  if (nothing && !interactive) {
    throw new UsageError('nothing to update', {
      hint: 'Pass at least one of --url, --description, --no-description, --event, --add-event, --remove-event, --enable, --disable.',
    });
  }
}

/** The fields of `wanted` that differ from the webhook as it is (events compared as sets). */
export function changesFrom(wanted: UpdateRequest, w: WebhookPublic): UpdateRequest {
  const body: UpdateRequest = {};
  if (wanted.url !== undefined && wanted.url !== w.url) body.url = wanted.url;
  if (wanted.description !== undefined && wanted.description !== w.description) body.description = wanted.description;
  if (
    wanted.subscribed_events !== undefined &&
    [...new Set(wanted.subscribed_events)].sort().join(',') !== [...w.subscribed_events].sort().join(',')
  ) {
    body.subscribed_events = wanted.subscribed_events;
  }
  if (wanted.enabled !== undefined && wanted.enabled !== w.enabled) body.enabled = wanted.enabled;
  return body;
}
