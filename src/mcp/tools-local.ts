// The tools that test and debug deliveries: send a test event, read the delivery log, the event
// catalog, verify a signature offline, and the delivery record `listen` keeps on this machine
// (list it, replay from it: only verified deliveries, only to this machine; see replay-guard.ts).
import { z } from 'zod';
import { eventTypeOf, idOf, listOf, UUID } from './input-schemas.js';
import { pageArgs, pageOfDeliveries, pageOfList, pageSummary } from './paging.js';
import { at, countOf, textAt } from './read.js';
import { checkReplay } from './replay-guard.js';
import { flagsOf, tool, word, words, type ToolArg, type ToolDef } from './tool-def.js';
import { webhookIdWord } from './tools-manage.js';
import { prepareTestWait, TEST_WAIT_DEFAULT_S, TEST_WAIT_MAX_S, testWaitFailure } from './test-wait.js';

/** verify_signature's payload: the body, on the command's stdin (`--payload -`). */
const payloadOnStdin: ToolArg = {
  schema: z.string().describe('The raw request body exactly as received.'),
  put: () => {},
};

export function localTools(): ToolDef[] {
  const test = flagsOf('webhooks test');
  const deliveries = flagsOf('webhooks deliveries');
  const verify = flagsOf('webhooks verify');
  const received = flagsOf('webhooks received list');
  const replay = flagsOf('webhooks replay');
  return [
    tool({
      name: 'send_test_event',
      title: 'Send a test event',
      description: `Sends a test event through Anchor's real signing and retry path: a real delivery to the webhook's URL. With wait: true, follows the delivery log until the delivery succeeded or failed, reporting progress, for up to wait_timeout_seconds (default ${TEST_WAIT_DEFAULT_S}, at most ${TEST_WAIT_MAX_S}; many clients give up on a request after 60 seconds). Stops at once when the request is cancelled. If the wait runs out, follow the delivery with list_deliveries.`,
      command: 'webhooks test',
      args: {
        id: webhookIdWord,
        event_type: test('event', { required: true }),
        wait: test('wait'),
        wait_timeout_seconds: {
          ...test('waitTimeout', { type: 'number' }),
          schema: z
            .number()
            .describe(
              `How long wait waits, in seconds: default ${TEST_WAIT_DEFAULT_S}, at most ${TEST_WAIT_MAX_S}. Only with wait: true.`,
            )
            .optional(),
        },
      },
      readOnly: false,
      prepare: prepareTestWait,
      failed: testWaitFailure,
      summary: (out) => {
        const delivery = at(out, 'delivery');
        const answer = at(delivery, 'response_status') ?? 'no';
        return `sent ${String(at(out, 'external_event_id'))}${delivery ? `; delivery ${String(at(delivery, 'status'))} (${String(answer)} answer)` : ''}`;
      },
    }),
    tool({
      name: 'list_deliveries',
      title: 'List deliveries',
      description:
        "Reads a webhook's delivery log (kept 7 days), newest first, a page at a time: each attempt's status, answer and error. Read-only.",
      command: 'webhooks deliveries',
      args: {
        id: webhookIdWord,
        status: deliveries('status'),
        event_type: deliveries('event'),
        since: deliveries('since'),
        until: deliveries('until'),
        ...pageArgs(true),
        payload: deliveries('payload'),
      },
      readOnly: true,
      result: pageOfDeliveries,
      summary: (out) => pageSummary('deliveries', pageOfDeliveries(out)),
    }),
    tool({
      name: 'list_event_types',
      title: 'List event types',
      description: 'Every event type Anchor delivers, grouped by entity, with when it fires. Read-only, offline.',
      command: 'events list',
      args: { ...pageArgs() },
      readOnly: true,
      openWorld: false,
      result: pageOfList,
      summary: (out, a) => pageSummary('event types', pageOfList(out, a)),
    }),
    tool({
      name: 'describe_event_type',
      title: 'Describe an event type',
      description: 'One event type: when it fires, its data fields and an example envelope. Read-only, offline.',
      command: 'events show',
      args: { event_type: word(eventTypeOf().describe('The event type, e.g. task.completed (see list_event_types).')) },
      readOnly: true,
      openWorld: false,
      summary: (out) => `${String(at(out, 'type'))}: ${textAt(out, 'description') ?? ''}`,
    }),
    tool({
      name: 'verify_signature',
      title: 'Verify a signature',
      description:
        "Checks a delivery offline as a receiver must (headers, timestamp, freshness, HMAC) and on failure says which check failed and the likely cause. The secret comes from secret_file (a path) or the server's ANCHOR_WEBHOOK_SECRET; never pass the secret itself. Read-only.",
      command: 'webhooks verify',
      args: {
        payload: payloadOnStdin,
        signature: verify('signature', { required: true }),
        timestamp: verify('timestamp'),
        secret_file: verify('secretFile'),
        tolerance_seconds: verify('tolerance', { type: 'integer' }),
        now: verify('now'),
      },
      readOnly: true,
      graded: true,
      openWorld: false,
      fixed: () => ({ payload: '-' }),
      stdin: (a) => (typeof a.payload === 'string' ? a.payload : undefined),
      summary: (out) => {
        if (at(out, 'valid') === true) return 'valid: authentic and fresh';
        const why = textAt(out, 'diagnosis', 'message');
        return `invalid${why ? `: ${why}` : ''}`;
      },
    }),
    tool({
      name: 'list_received',
      title: 'List received requests',
      description:
        'The requests the local listener (which the user runs in a terminal) recorded on this machine: verified or refused, and replays with "replay_of"; newest first, a page at a time, over the newest 1000. failed: only those the app did not answer 2xx or did not get. A refused request\'s event_type, event_id and delivery_id are what it claimed, unverified. Read-only, offline.',
      command: 'webhooks received list',
      args: {
        since: received('since'),
        event_type: received('type'),
        refused: received('refused'),
        failed: received('failed'),
        ...pageArgs(),
      },
      readOnly: true,
      openWorld: false,
      // The newest 1000 (the command's most), paged here.
      fixed: () => ({ limit: '1000' }),
      result: pageOfList,
      summary: (out, a) => pageSummary('recorded requests', pageOfList(out, a)),
    }),
    tool({
      name: 'replay',
      title: 'Replay recorded deliveries',
      description:
        "Sends recorded deliveries to the local app again: by record ids, event ids or delivery ids, the last n, or since a time. Re-signed with a fresh timestamp and the server's ANCHOR_WEBHOOK_SECRET, else the user's forwarding secret (the one their app verifies the listener's forwarded deliveries with), unless as_received; new_id gives each a fresh envelope id, for an app that deduplicates. Each replay is recorded, linked to its original. Only verified deliveries are replayed (a refused request is not: its body is a stranger's), and only to the URL each was forwarded to or to a `to` on this machine (127.0.0.1, localhost, [::1]). Each is a real request to the app.",
      command: 'webhooks replay',
      args: {
        // Checked and resolved to verified record ids by checkReplay first.
        record_ids: words(
          listOf(idOf('record', 'list_received', ['rec_', 'evt_'], UUID))
            .describe(
              'Record ids (rec_…) of verified deliveries, or event ids (evt_…) or delivery ids (each: its newest verified original delivery), from list_received.',
            )
            .optional(),
        ),
        last: replay('last'),
        since: replay('since'),
        event_type: replay('type'),
        to: replay('to'),
        as_received: replay('asReceived'),
        new_id: replay('newId'),
      },
      readOnly: false,
      prepare: checkReplay,
      summary: (out) =>
        `${countOf(out)} replayed: ${(Array.isArray(out) ? out : []).map((r) => at(r, 'status')).join(', ')}`,
    }),
  ];
}
