// The temporary webhooks of `listen --register`, told apart by their description: created when a
// listener starts and deleted when it stops, they are nobody's configuration, so `export` leaves
// them out and `apply` neither matches, prunes nor counts them as drift.
import type { WebhookPublic } from '../../../api/schemas.js';

export const TEMPORARY_MARK = 'anchor webhooks listen (temporary)';

export const isTemporaryWebhook = (w: Pick<WebhookPublic, 'description'>): boolean =>
  w.description?.startsWith(TEMPORARY_MARK) === true;
