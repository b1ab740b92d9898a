// What the command reference (docs/commands/, scripts/reference.mjs) needs and the declarations do
// not carry: per command, the exit codes it can end with and what `--json` prints. Taken from
// the exit codes and `--json` shapes of docs/reference.md. Keyed by command id,
// so a command added to the tree without its notes fails tsc (and the generator).
import type { CommandId } from './tree.js';

export interface ExitCodeNote {
  readonly code: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 130;
  readonly when: string;
}

export interface ReferenceNotes {
  /** Every code the command can end with, in order, with when it does for this command. */
  readonly exitCodes: readonly ExitCodeNote[];
  /** What stdout holds with `--json`, as Markdown. */
  readonly json: string;
}

const ok = (when = 'success'): ExitCodeNote => ({ code: 0, when });
const failure = (when = 'a failure not listed below (a bug, or a file or port it could not use)'): ExitCodeNote => ({
  code: 1,
  when,
});
const usage = (when = 'bad or missing flags or arguments, or input that fails validation'): ExitCodeNote => ({
  code: 2,
  when,
});
const cancelled = (when = 'Ctrl-C or a declined confirmation'): ExitCodeNote => ({ code: 130, when });

/** The codes of a command that calls the API. */
const api = (opts: { notFound?: string; refused?: string } = {}): ExitCodeNote[] => [
  failure('a server error, or a network failure after retries'),
  usage(),
  ...(opts.refused === undefined ? [] : [{ code: 3 as const, when: opts.refused }]),
  { code: 4, when: 'no API key configured, or the API refused it (401/403)' },
  ...(opts.notFound === undefined ? [] : [{ code: 5 as const, when: opts.notFound }]),
];

const WEBHOOK_NOT_FOUND = 'no webhook with that id (404)';
const REFUSED = 'the API refused the request (400, 409: the limit of 5 webhooks, 422)';
const WEBHOOK = 'the webhook object, exactly as the API returns it';
const DRY_RUN = 'With `--dry-run`: `{"method", "url", "headers", "body"}`, the key redacted; nothing is sent.';
const WITH_SECRET =
  'the webhook object with `secret` (with `--secret-file`: `secret_file`, the absolute path, instead)';
const NOT_JSON = (what: string) => `No JSON document: ${what}. \`--json\` changes nothing here.`;
const RECORD_MISSING =
  'no recorded request with that id (an event or delivery id names only a verified original delivery)';

export const REFERENCE_NOTES: Readonly<Record<CommandId, ReferenceNotes>> = {
  emulator: {
    exitCodes: [
      ok('stopped with Ctrl-C, SIGTERM or SIGHUP (its terminal closed)'),
      failure('the port could not be opened'),
      usage(),
    ],
    json: NOT_JSON('the first line of stdout is the URL it serves, then the lines to export'),
  },
  completion: {
    exitCodes: [ok(), usage('a shell other than bash, zsh or fish')],
    json: NOT_JSON('the completion script'),
  },
  mcp: {
    exitCodes: [ok('the client closed stdin'), failure(), usage()],
    json: NOT_JSON('stdout carries the Model Context Protocol (JSON-RPC) and nothing else'),
  },
  doctor: {
    exitCodes: [
      ok('no check failed (some may be skipped)'),
      failure('a bug, or a state file or record it could not read'),
      usage('bad flags: an unknown `--event` type, `--event` without `--webhook`, an unreadable `--secret-file`'),
      { code: 6, when: 'a check failed: each has its `fix`' },
    ],
    json: '`{"ok", "checks": [{"id", "ok", "skipped"?, "detail", "fix"?}]}`: the checks in this order: `key`, `api`, `clock`, `webhook_url`, `webhook_state`, `deliveries`, `secret`, `listener`, `tunnel`, `app`; `ok` is false only for a failed check (a skipped one has `"skipped": true` and says why in `detail`); `fix` on each failure',
  },
  'auth login': {
    exitCodes: [
      ok('the key was checked (unless `--no-verify`) and saved'),
      failure(),
      usage(),
      { code: 4, when: 'the API refused the key' },
      cancelled(),
    ],
    json: '`{"profile", "api_url", "key" (masked), "verified", "config_path"}`',
  },
  'auth status': {
    exitCodes: [ok(), failure(), usage()],
    json: '`{"profile", "api_url", "api_url_source", "logged_in", "key_source"?, "key"? (masked), "valid"? (true, false, or null if it could not be checked), "error"?}`',
  },
  'auth logout': {
    exitCodes: [ok(), failure(), usage()],
    json: '`{"profile", "removed"}`',
  },
  'config path': { exitCodes: [ok(), usage()], json: '`{"path"}`' },
  'config list': { exitCodes: [ok(), failure(), usage()], json: 'the settings object of the profile' },
  'config get': {
    exitCodes: [ok(), failure(), usage('an unknown key')],
    json: '`{"key", "value"}` (`value` is null when unset)',
  },
  'config set': {
    exitCodes: [ok(), failure(), usage('an unknown key, or a value that fails validation')],
    json: '`{"key", "value"}`',
  },
  'config unset': { exitCodes: [ok(), failure(), usage('an unknown key')], json: '`{"key", "removed"}`' },
  'webhooks create': {
    exitCodes: [ok(), ...api({ refused: REFUSED }), cancelled()],
    json: `${WITH_SECRET}. ${DRY_RUN}`,
  },
  'webhooks list': {
    exitCodes: [ok(), ...api()],
    json: 'an array of webhook objects, exactly as the API returns them',
  },
  'webhooks get': { exitCodes: [ok(), ...api({ notFound: WEBHOOK_NOT_FOUND })], json: WEBHOOK },
  'webhooks update': {
    exitCodes: [ok(), ...api({ refused: REFUSED, notFound: WEBHOOK_NOT_FOUND }), cancelled()],
    json: `${WEBHOOK}, as updated. ${DRY_RUN}`,
  },
  'webhooks enable': {
    exitCodes: [ok(), ...api({ refused: REFUSED, notFound: WEBHOOK_NOT_FOUND })],
    json: `${WEBHOOK}. ${DRY_RUN}`,
  },
  'webhooks disable': {
    exitCodes: [ok(), ...api({ refused: REFUSED, notFound: WEBHOOK_NOT_FOUND })],
    json: `${WEBHOOK}. ${DRY_RUN}`,
  },
  'webhooks delete': {
    exitCodes: [ok(), ...api({ notFound: WEBHOOK_NOT_FOUND }), cancelled()],
    json: `\`{"id": "...", "deleted": true}\`. ${DRY_RUN}`,
  },
  'webhooks rotate-secret': {
    exitCodes: [ok(), ...api({ notFound: WEBHOOK_NOT_FOUND }), cancelled()],
    json: WITH_SECRET,
  },
  'webhooks test': {
    exitCodes: [
      ok('the test event was sent (with `--wait`: and its delivery succeeded)'),
      {
        code: 1,
        when: 'with `--wait`: the wait ran out before the delivery ended (JSON error code `timeout`; the last row seen is on stdout)',
      },
      ...api({ refused: REFUSED, notFound: WEBHOOK_NOT_FOUND }),
      { code: 6, when: 'with `--wait`: the delivery did not succeed' },
      cancelled('Ctrl-C while waiting'),
    ],
    json: '`{"external_event_id", "event_type"}`, plus `"delivery"` (the final row, or the last one seen) with `--wait`',
  },
  'webhooks deliveries': {
    exitCodes: [ok(), ...api({ refused: 'the API refused the query (400)', notFound: WEBHOOK_NOT_FOUND })],
    json: '`{"events": [...], "pagination": {"limit", "offset", "total"}}` as the API returns it (with `--all`: every row, `limit` = rows returned); with `--follow`: NDJSON, one row a line',
  },
  'webhooks verify': {
    exitCodes: [ok('the delivery verified'), failure(), usage(), { code: 6, when: 'the delivery did not verify' }],
    json: '`{"valid", "checks": [{"name", "ok", "detail"}], "diagnosis"?: {"cause", "message"}}`, printed on exit 6 too',
  },
  'webhooks sign': {
    exitCodes: [ok(), failure(), usage()],
    json: '`{"timestamp", "headers": {...}}`',
  },
  'webhooks listen': {
    exitCodes: [
      ok(
        'stopped with Ctrl-C, SIGTERM or SIGHUP (its terminal closed), (with `--until`) the awaited event arrived, or `--print-secret`/`--reset-secret` done',
      ),
      failure(
        'the port could not be opened, `--until` timed out (JSON error code `timeout`), or the forwarding secret file cannot be used',
      ),
      usage(),
      { code: 3, when: 'with `--register`: the API refused the webhook' },
      { code: 4, when: 'with `--register` or `--webhook`: no API key, or the API refused it' },
      { code: 5, when: 'with `--webhook`: no webhook with that id' },
      cancelled('with `--until`: stopped before the event arrived'),
    ],
    json: 'NDJSON, one verified event a line: `{"received_at", "id", "type", "text", "delivery_id", "record_id"?, "duplicate"?, "forward"?, "not_forwarded"?}` (`record_id` unless `--no-record`; `duplicate` with `--no-dedupe`; `forward`: `{"url", "route"?, "status", "latency_ms", "truncated"?, "slow"?, "response_body"?}` or `{"url", "route"?, "error", "timed_out"?, "slow"?}`, `route` the type pattern that chose `url`, `response_body` (the start of the answer) with `--print-response`, `slow: true` when the app took over 10 s or ran out of `--forward-timeout`; `not_forwarded`: "no route for <type>" when routes by type took none). With `--until`: the matching envelope. `--print-secret`: the forwarding secret alone, not JSON',
  },
  'webhooks received list': {
    exitCodes: [ok(), failure(), usage()],
    json: 'an array of `{"id", "received_at", "event_type", "event_id", "delivery_id", "verdict": "ok"|"refused", "status", "replay_of"?, "forward"?: {"url", "route"?, "status", "latency_ms"}, "resolved_by"?}`, newest first; for a refused request, `event_type`, `event_id` and `delivery_id` are what it claimed (unverified); `resolved_by` on a failure (the app answered other than 2xx, or was not reached) whose event a later delivery got through (Anchor\'s retry, a backfill, or a replay of any of its records): that record\'s id',
  },
  'webhooks received clear': {
    exitCodes: [
      ok('removed, or nothing to remove'),
      failure(),
      usage('without a terminal, --yes is needed'),
      cancelled('the confirmation was declined'),
    ],
    json: '`{"removed": n}`',
  },
  'webhooks received show': {
    exitCodes: [ok(), failure(), usage(), { code: 5, when: RECORD_MISSING }],
    json: 'the object `received` lists, plus `"method"`, `"path"`, `"headers"`, `"body"` (the exact bytes as UTF-8, or `"body_base64"` when they are not UTF-8), `"checks"`, `"diagnosis"?`, `"response_body"` in `"forward"`, and for an original its `"replays": [{"id", "received_at", "status"}]`',
  },
  'webhooks replay': {
    exitCodes: [
      ok('every answer was 2xx'),
      failure('the app could not be reached'),
      usage(),
      { code: 5, when: 'no recorded request matches' },
      { code: 6, when: 'an answer was not 2xx' },
      cancelled(),
    ],
    json: 'an array of `{"record_id", "replay_record_id"?, "event_id"? (with `--new-id`), "url", "resigned", "status", "latency_ms", "response_body"}`; each replay is recorded with `"replay_of"`',
  },
  'webhooks inspect': {
    exitCodes: [
      ok('stopped with Ctrl-C, SIGTERM or SIGHUP (its terminal closed)'),
      failure('the port could not be opened'),
      usage(),
    ],
    json: '`{"url"}`: the page\'s address, with its token',
  },
  'webhooks check-receiver': {
    exitCodes: [ok('every required check passed'), failure(), usage(), { code: 6, when: 'a required check failed' }],
    json: '`{"url", "passed", "framework"?, "checks": [{"id", "required", "ok", "status", "latency_ms", "detail", "fix"?, "caveat"?, "follows_from"?}]}`: `framework` when the answers said which (`express`, `fastify`, `nextjs`, `flask`, `fastapi`, `django`), `caveat` on an acknowledged duplicate, `follows_from` (`"accepts_valid"`) on a failure that got the same answer as a refused correct delivery; a 5xx where a refusal was due is a failure',
  },
  'webhooks export': {
    exitCodes: [ok(), ...api()],
    json: 'the apply file, as JSON (as `--format json`)',
  },
  'webhooks apply': {
    exitCodes: [
      ok('the project matches the file (with `--check`: nothing would change)'),
      ...api({
        refused: REFUSED,
        notFound: 'a webhook of the plan was deleted by someone else before its update or delete (404)',
      }),
      { code: 6, when: 'with `--check`: something would change' },
      cancelled(),
    ],
    json: '`{"plan": [{"action": "create"|"update"|"delete"|"unchanged", "url", "id"?, "changes"?}], "applied", "secret_files"?: {"<id>": "<path>"}}`',
  },
  'events trigger': {
    exitCodes: [
      ok('the endpoint answered 2xx (with `--chaos`: every answer was right)'),
      failure('the endpoint could not be reached'),
      usage(),
      { code: 6, when: 'a non-2xx answer, or (with `--chaos`) a wrong one' },
    ],
    json: '`{"url", "event_type", "event_id", "delivery_id", "status", "latency_ms", "response_body"}`. With `--scenario` or `--chaos`: an array of `{"event_type", "event_id", "delivery_id", "injected"?, "status", "expected"?, "ok"?, "caveat"?}` (`caveat` on an acknowledged duplicate: right only if the app did not act twice)',
  },
  'events list': {
    exitCodes: [ok(), usage()],
    json: '`[{"type", "entity", "description"}]`',
  },
  'events show': {
    exitCodes: [ok(), usage('an unknown event type')],
    json: '`{"type", "entity", "description", "fields": [{"name", "type", "description"}], "example"}`',
  },
  'events scenarios': {
    exitCodes: [ok(), usage()],
    json: '`[{"name", "description", "events": ["<type>", ...]}]`',
  },
};

/** What every command prints on stderr with `--json` when it fails. */
export const JSON_ERROR_SHAPE =
  'stdout empty; stderr `{"error": {"code", "message", "status"?, "hint"?}}`; `code` is one of `usage`, `api_refused`, `auth`, `not_found`, `server_error`, `network_error`, `check_failed`, `cancelled`, `timeout`, `error`, `internal_error`';
