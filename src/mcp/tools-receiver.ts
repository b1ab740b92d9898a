// The tools for an agent that writes the user's webhook receiver: check_receiver (the checks
// Anchor requires of a receiver, and the fix for each failure) and trigger_event (a signed event or
// a scenario, with set overrides and chaos, graded). Both call the command line's handlers, send
// only to this machine and sign with the secret the command line would use (local-target.ts).
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { CHAOS_KINDS, SCENARIO_NAMES } from '../core/scenarios.js';
import { EVENT_TYPES } from '../core/events.js';
import { didYouMean } from '../lib/suggest.js';
import { parseAssignment } from '../local/set-path.js';
import { loopbackUrl, requireSigningSecret } from './local-target.js';
import { isRecord } from './read.js';
import { receiverOutput, summariseChecks, summariseTrigger, triggerOutput, triggerResult } from './receiver-results.js';
import { flagsOf, tool, type ToolArg, type ToolDef } from './tool-def.js';
import { ToolInputError, type ToolArgs, type ToolContext } from './tool-input.js';

/** The receiver's URL: the command's positional word (check_receiver) or its --forward-to (trigger_event). */
const urlArg = (into: 'word' | 'forwardTo'): ToolArg => ({
  schema: z
    .string()
    .describe(
      "The URL of the user's local receiver, on this machine only (127.0.0.1, localhost or [::1]), e.g. http://127.0.0.1:3000/webhooks/anchor.",
    ),
  put: (value, request) => {
    if (into === 'word') request.words.push(String(value));
    else request.flags.forwardTo = String(value);
  },
});

/** `set`: an object of path → value, or a list of "path=value"; each becomes one override as typed. */
const setArg: ToolArg = {
  schema: z
    .union([z.record(z.string(), z.unknown()), z.array(z.string())])
    .describe(
      'Overrides of envelope fields by dotted path: an object such as {"data.task_id": "tsk_123"} (values as JSON), or a list such as ["data.task_id=tsk_123"] (a value is JSON when it parses, else text).',
    )
    .optional(),
  put: (value, request) => {
    request.flags.set = setList(value);
  },
};

function setList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return Object.entries(isRecord(value) ? value : {}).map(([path, v]) => `${path}=${JSON.stringify(v)}`);
}

/**
 * `secret_file`: a webhook's secret file that create_webhook or rotate_webhook_secret wrote, so the
 * receiver is tested with the secret it verifies with. Only a file in this server's secret folder:
 * the key is always a secret anchor wrote, never a file the agent picked.
 */
const secretFileArg: ToolArg = {
  flags: ['--secret-file'],
  schema: z
    .string()
    .describe(
      "The absolute path of the webhook's secret file, as create_webhook or rotate_webhook_secret returned it (in this server's secret folder): the requests are signed with the secret the receiver verifies with. Without it: the server's ANCHOR_WEBHOOK_SECRET, else the user's local forwarding secret.",
    )
    .optional(),
  put: (value, request) => {
    request.flags.secretFile = String(value);
  },
};

function checkSecretFile(value: unknown, ctx: ToolContext): void {
  if (value === undefined) return;
  const dir = ctx.secretDir;
  const path = typeof value === 'string' ? resolve(value) : '';
  if (
    !dir ||
    typeof value !== 'string' ||
    !isAbsolute(value) ||
    dirname(path) !== resolve(dir) ||
    !path.endsWith('.secret')
  )
    throw new ToolInputError(
      `invalid secret_file ${JSON.stringify(value)}: give the absolute path of a webhook's secret file that create_webhook or rotate_webhook_secret returned${dir ? ` (a .secret file in ${resolve(dir)})` : ''}, or leave secret_file out.`,
    );
}

function prepare(name: string, check: (args: ToolArgs) => void) {
  return (args: ToolArgs, ctx: ToolContext): ToolArgs | string => {
    try {
      loopbackUrl(args.url, name);
      check(args);
      checkSecretFile(args.secret_file, ctx);
      if (args.secret_file === undefined) requireSigningSecret(ctx, name);
      return args;
    } catch (e) {
      if (e instanceof ToolInputError) return e.message;
      throw e;
    }
  };
}

function checkTrigger(args: ToolArgs): void {
  const type = args.event_type;
  const scenario = args.scenario;
  if ((type === undefined) === (scenario === undefined))
    throw new ToolInputError(
      'give event_type (one event) or scenario (linked events in order), not both and not neither; list_event_types lists the types.',
    );
  if (typeof type === 'string' && !EVENT_TYPES.includes(type))
    throw new ToolInputError(
      `invalid event_type ${JSON.stringify(type)}: not an Anchor event type.${didYouMean(type, EVENT_TYPES)} list_event_types lists them.`,
    );
  const chaos = Array.isArray(args.chaos) ? args.chaos : [];
  if (chaos.includes('reorder') && scenario === undefined)
    throw new ToolInputError('chaos "reorder" needs a scenario: a single event has no order.');
  for (const entry of setList(args.set)) {
    const a = parseAssignment(entry);
    if (typeof a === 'string') throw new ToolInputError(`invalid set entry ${JSON.stringify(entry)}: ${a}.`);
  }
}

export function receiverTools(): ToolDef[] {
  const check = flagsOf('webhooks check-receiver');
  return [
    tool({
      name: 'check_receiver',
      title: 'Check a local receiver',
      description:
        "Checks the user's webhook receiver on this machine as Anchor requires: a correct delivery, the raw body, freshness, signatures, several v1= values, duplicates, unknown types, large bodies and more, each graded, with the fix for each failure (for the receiver's framework when its answers show which). Sends real signed requests to the URL (this machine only), signed with the secret of secret_file (the webhook's, which the receiver should verify with), else the server's ANCHOR_WEBHOOK_SECRET, else the user's local forwarding secret. A failed check is in the answer, not an error: when a correctly signed delivery is refused, first make sure the receiver verifies with that same secret.",
      command: 'webhooks check-receiver',
      args: { url: urlArg('word'), only: check('only'), secret_file: secretFileArg },
      readOnly: false,
      graded: true,
      prepare: prepare('check_receiver', () => {}),
      output: receiverOutput,
      summary: summariseChecks,
    }),
    tool({
      name: 'trigger_event',
      title: 'Trigger an event at a local receiver',
      description:
        "Sends an example event of event_type (or the linked events of a scenario), signed exactly as Anchor signs, to the user's receiver on this machine, and grades each answer. set overrides envelope fields; chaos adds the deliveries a robust receiver must survive (duplicate: 2xx without acting twice; reorder: 2xx in any order, with a scenario; stale and bad-signature: refused). Signed with the secret of secret_file (the webhook's), else the server's ANCHOR_WEBHOOK_SECRET, else the user's local forwarding secret. A wrong answer is in the graded report, not an error.",
      command: 'events trigger',
      args: {
        url: urlArg('forwardTo'),
        event_type: {
          schema: z.string().describe('The event type to send, e.g. task.completed (see list_event_types).').optional(),
          put: (value, request) => request.words.push(String(value)),
        },
        scenario: {
          schema: z
            .enum(SCENARIO_NAMES as [string, ...string[]])
            .describe('A scenario of linked events, sent in order (instead of event_type).')
            .optional(),
          put: (value, request) => {
            request.flags.scenario = String(value);
          },
        },
        set: setArg,
        secret_file: secretFileArg,
        chaos: {
          schema: z
            .array(z.enum(CHAOS_KINDS))
            .describe('Deliveries to add, each graded: duplicate, reorder (with a scenario), stale, bad-signature.')
            .optional(),
          put: (value, request) => {
            if (Array.isArray(value) && value.length) request.flags.chaos = value.map(String);
          },
        },
      },
      readOnly: false,
      graded: true,
      prepare: prepare('trigger_event', checkTrigger),
      output: triggerOutput,
      result: triggerResult,
      summary: summariseTrigger,
    }),
  ];
}
