// The tools of `anchor mcp`. Each tool's input schema is made from the declarations of the
// command it runs (the same Flag objects that make its --help, its parsing and its completion),
// and each call runs that command line in this process with --json: the same rules, the same
// messages and hints, the same redaction. A bad input never reaches the API, because the command
// checks it first, exactly as on the command line.
//
// Every value reaches the command as data, never as an option: a flag's value is joined to it
// (`--url=<value>`), positional values come after `--`, and an id must be of the safe character
// set (src/lib/safe-name.ts), so `{"id": "-h"}` or `{"record_ids": ["--edit"]}` is refused here.
import { z } from 'zod';
import type { CommandSpec, Flag } from '../commands/spec.js';
import { checkReplay } from './replay-guard.js';
import { checkedId, type ToolArgs, type ToolContext } from './tool-input.js';

/** A zod type for a flag's value, described with the flag's own help (checks stay the command's). */
export function fromFlag(flag: Flag<unknown>, description = flag.description): z.ZodType {
  const choices = Array.isArray(flag.completes) ? ` One of: ${(flag.completes as string[]).join(', ')}.` : '';
  const events = flag.completes === 'event-types' ? ' Anchor event types (see list_event_types).' : '';
  const range =
    flag.range && (flag.range.min !== undefined || flag.range.max !== undefined)
      ? ` From ${flag.range.min ?? '…'} to ${flag.range.max ?? '…'}.`
      : '';
  const text = `${description}.${choices}${events}${range}`.replace(/\.\./g, '.');
  switch (flag.type) {
    case 'boolean':
      return z.boolean().describe(text);
    case 'string[]':
      return z.array(z.string()).describe(text);
    case 'integer':
      return z.number().int().describe(text);
    case 'number':
      return z.number().describe(text);
    default:
      return z.string().describe(text);
  }
}

const id = z.string().describe('The webhook id (wh_…), from list_webhooks.');
const confirm = z
  .boolean()
  .optional()
  .describe('Must be true to act. Without it, the tool only says what would happen.');

export type { ToolArgs } from './tool-input.js';

export interface ToolDef {
  name: string;
  title: string;
  description: string;
  input: Record<string, z.ZodType>;
  readOnly: boolean;
  destructive?: boolean;
  /** The command line (without --json) for these arguments; a string is an error to return. */
  argv: (args: ToolArgs, ctx: { secretFile: (name: string) => string }) => string[] | string;
  /** Checks (and may resolve) the arguments before argv; a string is an error to return. */
  prepare?: (args: ToolArgs, ctx: ToolContext) => ToolArgs | string;
  /** Text on stdin (verify_signature's payload). */
  stdin?: (args: ToolArgs) => string | undefined;
  /** A short text an agent can read, from the command's JSON. */
  summary: (out: unknown, args: ToolArgs) => string;
}

const opt = (t: z.ZodType) => t.optional();
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
/** Flags for the arguments given, each value joined to its flag so that none reads as an option. */
function flags(args: ToolArgs, map: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [key, flag] of Object.entries(map)) {
    const v = args[key];
    if (v === undefined || v === null || v === false) continue;
    if (v === true) out.push(flag);
    else if (Array.isArray(v)) for (const x of v) out.push(`${flag}=${String(x)}`);
    else out.push(`${flag}=${String(v)}`);
  }
  return out;
}
/** Positional values go after `--`: `-h` or `--edit` given as a value stays a value. */
const positional = (...values: string[]) => (values.length ? ['--', ...values] : []);

const webhookId = (a: ToolArgs) => checkedId(a.id, 'id', 'webhook', 'list_webhooks');
const count = (out: unknown, what: string) => `${Array.isArray(out) ? out.length : 0} ${what}`;

/** The tools, their schemas made from the declarations of the tree (`decl('webhooks create')`). */
export function buildTools(decl: (id: string) => CommandSpec): ToolDef[] {
  const flag = (id: string, key: string): Flag<unknown> => {
    const f = decl(id).flags[key];
    if (!f) throw new Error(`${id} declares no flag ${key}`);
    return f;
  };
  const of = (id: string) => (key: string) => flag(id, key);
  const create = of('webhooks create');
  const update = of('webhooks update');
  const test = of('webhooks test');
  const deliveries = of('webhooks deliveries');
  const verify = of('webhooks verify');
  const received = of('webhooks received list');
  const replay = of('webhooks replay');
  return [
    {
      name: 'list_webhooks',
      title: 'List webhooks',
      description:
        "Lists the project's webhooks (id, url, subscribed events, enabled, description). Read-only and cheap: use it first to find a webhook's id.",
      input: {},
      readOnly: true,
      argv: () => ['webhooks', 'list'],
      summary: (out) => count(out, 'webhook(s)'),
    },
    {
      name: 'get_webhook',
      title: 'Get a webhook',
      description: 'Shows one webhook by id: its url, subscribed events, enabled state and description. Read-only.',
      input: { id },
      readOnly: true,
      argv: (a) => ['webhooks', 'get', ...positional(webhookId(a))],
      summary: (out) => `webhook ${(out as { id?: string }).id ?? ''}`,
    },
    {
      name: 'create_webhook',
      title: 'Create a webhook',
      description:
        'Creates a webhook that Anchor will POST the given event types to. The URL and events are checked with the API rules before anything is sent. Its signing secret is written to a new 0600 file whose path is returned (the secret itself never appears in the result). A project has at most 5 webhooks.',
      input: {
        url: fromFlag(create('url')),
        events: fromFlag(create('event'), 'The event types to subscribe to'),
        description: opt(fromFlag(create('description'))),
      },
      readOnly: false,
      argv: (a, c) => [
        'webhooks',
        'create',
        ...flags({ url: a.url, description: a.description }, { url: '--url', description: '--description' }),
        ...(list(a.events).length ? [`--event=${list(a.events).join(',')}`] : []),
        `--secret-file=${c.secretFile('create')}`,
      ],
      summary: (out) => {
        const o = out as { id?: string; secret_file?: string };
        return `created ${o.id}; its signing secret is in ${o.secret_file} (0600)`;
      },
    },
    {
      name: 'update_webhook',
      title: 'Update a webhook',
      description:
        'Changes a webhook: only the fields given are sent (url, description — null clears it —, events to replace the set, add_events, remove_events, enabled).',
      input: {
        id,
        url: opt(fromFlag(update('url'))),
        description: opt(z.union([z.string(), z.null()]).describe('New description; null clears it.')),
        events: opt(fromFlag(update('event'))),
        add_events: opt(fromFlag(update('addEvent'))),
        remove_events: opt(fromFlag(update('removeEvent'))),
        enabled: opt(z.boolean().describe('true enables it; false disables it (no new events fan out to it).')),
      },
      readOnly: false,
      argv: (a) => [
        'webhooks',
        'update',
        ...flags(
          { url: a.url, add: list(a.add_events), remove: list(a.remove_events) },
          { url: '--url', add: '--add-event', remove: '--remove-event' },
        ),
        ...(a.events !== undefined ? [`--event=${list(a.events).join(',')}`] : []),
        ...(a.description === null
          ? ['--no-description']
          : str(a.description) !== undefined
            ? [`--description=${str(a.description)!}`]
            : []),
        ...(a.enabled === true ? ['--enable'] : a.enabled === false ? ['--disable'] : []),
        ...positional(webhookId(a)),
      ],
      summary: (out) => `updated ${(out as { id?: string }).id ?? ''}`,
    },
    {
      name: 'delete_webhook',
      title: 'Delete a webhook',
      description:
        'Deletes a webhook: deliveries to it stop at once (its delivery log stays readable for 7 days). Destructive: acts only with "confirm": true; without it, says what would happen.',
      input: { id, confirm },
      readOnly: false,
      destructive: true,
      argv: (a) =>
        a.confirm === true
          ? ['webhooks', 'delete', '--yes', ...positional(webhookId(a))]
          : `not deleted: deleting ${webhookId(a)} stops every delivery to it at once (its delivery log stays readable for 7 days). Call delete_webhook again with "confirm": true to do it.`,
      summary: (out) => `deleted ${(out as { id?: string }).id ?? ''}`,
    },
    {
      name: 'rotate_webhook_secret',
      title: "Rotate a webhook's secret",
      description:
        'Mints a new signing secret for a webhook; the old one keeps signing for 24 hours. The new secret is written to a new 0600 file whose path is returned. Destructive: acts only with "confirm": true.',
      input: { id, confirm },
      readOnly: false,
      destructive: true,
      argv: (a, c) =>
        a.confirm === true
          ? [
              'webhooks',
              'rotate-secret',
              '--yes',
              `--secret-file=${c.secretFile('rotate')}`,
              ...positional(webhookId(a)),
            ]
          : `not rotated: rotating the secret of ${webhookId(a)} mints a new one (the old one keeps signing for 24 hours, so receivers must switch within a day). Call rotate_webhook_secret again with "confirm": true to do it.`,
      summary: (out) => {
        const o = out as { id?: string; secret_file?: string };
        return `rotated the secret of ${o.id}; the new one is in ${o.secret_file} (0600)`;
      },
    },
    {
      name: 'send_test_event',
      title: 'Send a test event',
      description:
        "Sends a test event through Anchor's real signing and retry path: a real delivery to the webhook's URL. With wait, follows the delivery log until it succeeded or failed (up to wait_timeout_seconds, default 60).",
      input: {
        id,
        event_type: fromFlag(test('event'), 'The event type to send'),
        wait: opt(fromFlag(test('wait'))),
        wait_timeout_seconds: opt(z.number().describe('How long wait waits, in seconds (default 60).')),
      },
      readOnly: false,
      argv: (a) => [
        'webhooks',
        'test',
        ...flags(
          { event: a.event_type, wait: a.wait, timeout: a.wait_timeout_seconds },
          { event: '--event', wait: '--wait', timeout: '--wait-timeout' },
        ),
        ...positional(webhookId(a)),
      ],
      summary: (out) => {
        const o = out as { external_event_id?: string; delivery?: { status?: string; response_status?: number } };
        return `sent ${o.external_event_id}${o.delivery ? `; delivery ${o.delivery.status} (${o.delivery.response_status ?? 'no'} answer)` : ''}`;
      },
    },
    {
      name: 'list_deliveries',
      title: 'List deliveries',
      description: "Reads a webhook's delivery log (kept 7 days): each attempt's status, answer and error. Read-only.",
      input: {
        id,
        status: opt(fromFlag(deliveries('status'))),
        event_type: opt(fromFlag(deliveries('event'))),
        since: opt(fromFlag(deliveries('since'))),
        until: opt(fromFlag(deliveries('until'))),
        limit: opt(fromFlag(deliveries('limit'))),
        all: opt(fromFlag(deliveries('all'))),
        payload: opt(fromFlag(deliveries('payload'))),
      },
      readOnly: true,
      argv: (a) => [
        'webhooks',
        'deliveries',
        ...flags(
          {
            status: a.status,
            event: a.event_type,
            since: a.since,
            until: a.until,
            limit: a.limit,
            all: a.all,
            payload: a.payload,
          },
          {
            status: '--status',
            event: '--event',
            since: '--since',
            until: '--until',
            limit: '--limit',
            all: '--all',
            payload: '--payload',
          },
        ),
        ...positional(webhookId(a)),
      ],
      summary: (out) => count((out as { events?: unknown[] }).events, 'delivery row(s)'),
    },
    {
      name: 'list_event_types',
      title: 'List event types',
      description: 'Every event type Anchor delivers, grouped by entity, with when it fires. Read-only, offline.',
      input: {},
      readOnly: true,
      argv: () => ['events', 'list'],
      summary: (out) => count(out, 'event types'),
    },
    {
      name: 'describe_event_type',
      title: 'Describe an event type',
      description: 'One event type: when it fires, its data fields and an example envelope. Read-only, offline.',
      input: { type: z.string().describe('The event type, e.g. task.completed (see list_event_types).') },
      readOnly: true,
      argv: (a) => ['events', 'show', ...positional(String(a.type))],
      summary: (out) => `${(out as { type?: string }).type}: ${(out as { description?: string }).description ?? ''}`,
    },
    {
      name: 'verify_signature',
      title: 'Verify a signature',
      description:
        "Checks a delivery offline as a receiver must (headers, timestamp, freshness, HMAC) and on failure says which check failed and the likely cause. The secret comes from secret_file (a path) or the server's ANCHOR_WEBHOOK_SECRET; never pass the secret itself. Read-only.",
      input: {
        payload: z.string().describe('The raw request body exactly as received.'),
        signature: fromFlag(verify('signature')),
        timestamp: opt(fromFlag(verify('timestamp'))),
        secret_file: opt(
          z.string().describe('Path of a file holding the webhook secret (else ANCHOR_WEBHOOK_SECRET).'),
        ),
        tolerance_seconds: opt(z.number().int().describe('Replay window either way, in seconds (default 120).')),
        now: opt(fromFlag(verify('now'))),
      },
      readOnly: true,
      argv: (a) => [
        'webhooks',
        'verify',
        '--payload=-',
        ...flags(
          {
            signature: a.signature,
            timestamp: a.timestamp,
            secret: a.secret_file,
            tolerance: a.tolerance_seconds,
            now: a.now,
          },
          {
            signature: '--signature',
            timestamp: '--timestamp',
            secret: '--secret-file',
            tolerance: '--tolerance',
            now: '--now',
          },
        ),
      ],
      stdin: (a) => str(a.payload),
      summary: (out) => {
        const o = out as { valid?: boolean; diagnosis?: { message?: string } };
        return o.valid
          ? 'valid: authentic and fresh'
          : `invalid${o.diagnosis?.message ? `: ${o.diagnosis.message}` : ''}`;
      },
    },
    {
      name: 'list_received',
      title: 'List received requests',
      description:
        'The requests `anchor webhooks listen` recorded on this machine (verified or refused), newest first. Read-only.',
      input: {
        since: opt(fromFlag(received('since'))),
        type: opt(fromFlag(received('type'))),
        refused: opt(fromFlag(received('refused'))),
        limit: opt(fromFlag(received('limit'))),
      },
      readOnly: true,
      argv: (a) => [
        'webhooks',
        'received',
        ...flags(
          { since: a.since, type: a.type, refused: a.refused, limit: a.limit },
          { since: '--since', type: '--type', refused: '--refused', limit: '--limit' },
        ),
      ],
      summary: (out) => count(out, 'recorded request(s)'),
    },
    {
      name: 'replay',
      title: 'Replay recorded deliveries',
      description:
        "Sends recorded deliveries to the local app again: by record ids, the last n, or since a time. Re-signed with a fresh timestamp and the current secret (ANCHOR_WEBHOOK_SECRET of the server) unless as_received. Only verified deliveries are replayed (a refused request is not: its body is a stranger's), and only to the URL each was forwarded to or to a `to` on this machine (127.0.0.1, localhost, [::1]). Each is a real request to the app.",
      input: {
        record_ids: opt(
          z
            .array(z.string())
            .describe('Record ids (rec_…) of verified deliveries, or their event ids (evt_…), from list_received.'),
        ),
        last: opt(z.number().int().describe('The newest n recorded deliveries.')),
        since: opt(fromFlag(replay('since'))),
        type: opt(fromFlag(replay('type'))),
        to: opt(
          fromFlag(
            replay('to'),
            'Where to send them, on this machine only: an http(s) URL on 127.0.0.1, localhost or [::1] (default: the URL each was forwarded to)',
          ),
        ),
        as_received: opt(fromFlag(replay('asReceived'))),
      },
      readOnly: false,
      prepare: checkReplay,
      argv: (a) => [
        'webhooks',
        'replay',
        ...flags(
          { last: a.last, since: a.since, type: a.type, to: a.to, asReceived: a.as_received },
          { last: '--last', since: '--since', type: '--type', to: '--to', asReceived: '--as-received' },
        ),
        ...positional(...list(a.record_ids)),
      ],
      summary: (out) =>
        `${count(out, 'replayed')}: ${(Array.isArray(out) ? out : []).map((r: { status?: number }) => r.status).join(', ')}`,
    },
  ];
}
