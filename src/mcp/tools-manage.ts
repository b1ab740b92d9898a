// The tools that read and change the project's webhooks: list, get, create, update, delete and
// rotate. A new secret goes to a new 0600 file (its absolute path is in the result, the secret never
// is) and delete removes its webhook's files; create refuses a twin of an existing webhook unless
// told to; delete and rotate act only with "confirm": true.
import { z } from 'zod';
import { refuseTwin } from './create-guard.js';
import { idOf } from './input-schemas.js';
import { pageArgs, pageOfList, pageSummary } from './paging.js';
import { at, textAt } from './read.js';
import { cleanupNote, removeSecretFiles } from './secret-files.js';
import { flagsOf, tool, word, type ToolArg, type ToolDef } from './tool-def.js';
import { checkedId, type ToolArgs } from './tool-input.js';

const checkedWebhookId = (value: unknown) => checkedId(value, 'id', 'webhook', 'list_webhooks');
const webhookId = (a: ToolArgs) => checkedWebhookId(a.id);
/** A webhook id, the command's positional argument: of the safe set, so it never reads as an option. */
export const webhookIdWord = word(
  idOf('webhook', 'list_webhooks', ['wh_']).describe('The webhook id (wh_…), from list_webhooks.'),
  checkedWebhookId,
);

/** create_webhook's `allow_duplicate`: read by its guard, never passed to the command. */
const allowDuplicate: ToolArg = {
  schema: z
    .boolean()
    .describe(
      'true creates the webhook even when one with the same url and events exists (without it, create_webhook refuses and names that webhook).',
    )
    .optional(),
  put: () => {},
};

/** `enabled`: true is `--enable`, false is `--disable`. */
const enabled: ToolArg = {
  flags: ['--enable', '--disable'],
  schema: z.boolean().describe('true enables it; false disables it (no new events fan out to it).').optional(),
  put: (value, into) => {
    into.flags[value === true ? 'enable' : 'disable'] = true;
  },
};

export function manageTools(): ToolDef[] {
  const create = flagsOf('webhooks create');
  const update = flagsOf('webhooks update');
  const del = flagsOf('webhooks delete');
  const rotate = flagsOf('webhooks rotate-secret');
  return [
    tool({
      name: 'list_webhooks',
      title: 'List webhooks',
      description:
        "Lists the project's webhooks (id, url, subscribed events, enabled, description), a page at a time. Read-only and cheap: use it first to find a webhook's id.",
      command: 'webhooks list',
      args: { ...pageArgs() },
      readOnly: true,
      result: pageOfList,
      summary: (out, a) => pageSummary('webhooks', pageOfList(out, a)),
    }),
    tool({
      name: 'get_webhook',
      title: 'Get a webhook',
      description: 'Shows one webhook by id: its url, subscribed events, enabled state and description. Read-only.',
      command: 'webhooks get',
      args: { id: webhookIdWord },
      readOnly: true,
      summary: (out) => `webhook ${textAt(out, 'id') ?? ''}`,
    }),
    tool({
      name: 'create_webhook',
      title: 'Create a webhook',
      description:
        'Creates a webhook that Anchor will POST the given event types to. The URL and events are checked with the API rules before anything is sent. Its signing secret is written to a new 0600 file whose absolute path is returned (the secret itself never appears in the result). A webhook with the same url and events already there is not created again: the answer names it (allow_duplicate: true creates a second one). A project has at most 5 webhooks.',
      command: 'webhooks create',
      args: {
        url: create('url', { required: true }),
        events: create('event', { required: true }),
        description: create('description'),
        allow_duplicate: allowDuplicate,
      },
      readOnly: false,
      prepare: refuseTwin,
      fixed: (c) => ({ secretFile: c.secretFile('create') }),
      summary: (out) =>
        `created ${String(at(out, 'id'))}; its signing secret is in ${String(at(out, 'secret_file'))} (0600)`,
    }),
    tool({
      name: 'update_webhook',
      title: 'Update a webhook',
      description:
        'Changes a webhook: only the fields given are sent (url, description — null clears it —, events to replace the set, add_events, remove_events, enabled).',
      command: 'webhooks update',
      args: {
        id: webhookIdWord,
        url: update('url'),
        description: update('description'),
        events: update('event'),
        add_events: update('addEvent'),
        remove_events: update('removeEvent'),
        enabled,
      },
      readOnly: false,
      summary: (out) => `updated ${textAt(out, 'id') ?? ''}`,
    }),
    tool({
      name: 'delete_webhook',
      title: 'Delete a webhook',
      description:
        'Deletes a webhook: deliveries to it stop at once (its delivery log stays readable for 7 days), and the secret files this server wrote for it are removed from its secret folder. Destructive: acts only with "confirm": true; without it, says what would happen.',
      command: 'webhooks delete',
      args: { id: webhookIdWord, confirm: del('yes') },
      readOnly: false,
      destructive: true,
      refuse: (a) =>
        a.confirm === true
          ? undefined
          : `not deleted: deleting ${webhookId(a)} stops every delivery to it at once (its delivery log stays readable for 7 days). Call delete_webhook again with "confirm": true to do it.`,
      // Said in the text only: the answer stays the command's ({id, deleted}).
      after: (out, _args, server) => {
        const id = textAt(out, 'id');
        const cleanup = id === undefined ? { removed: [], kept: [] } : removeSecretFiles(server.secretDir, id);
        return { note: cleanupNote(cleanup, server.secretDir) };
      },
      summary: (out) => `deleted ${textAt(out, 'id') ?? ''}.`,
    }),
    tool({
      name: 'rotate_webhook_secret',
      title: "Rotate a webhook's secret",
      description:
        'Mints a new signing secret for a webhook; the old one keeps signing for 24 hours. The new secret is written to a new 0600 file whose path is returned. Destructive: acts only with "confirm": true.',
      command: 'webhooks rotate-secret',
      args: { id: webhookIdWord, confirm: rotate('yes') },
      readOnly: false,
      destructive: true,
      fixed: (c) => ({ secretFile: c.secretFile('rotate') }),
      refuse: (a) =>
        a.confirm === true
          ? undefined
          : `not rotated: rotating the secret of ${webhookId(a)} mints a new one (the old one keeps signing for 24 hours, so receivers must switch within a day). Call rotate_webhook_secret again with "confirm": true to do it.`,
      summary: (out) =>
        `rotated the secret of ${String(at(out, 'id'))}; the new one is in ${String(at(out, 'secret_file'))} (0600)`,
    }),
  ];
}
