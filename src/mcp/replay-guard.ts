// What the MCP `replay` tool may send, checked before its command runs. An agent's replay
// re-signs with the user's secret and hands the app's answer back to the agent, so it replays
// only what `listen` verified (a refused record's body is a stranger's) and only to the URL the
// delivery was forwarded to or to this machine: never a stranger's body, signed, to any URL.
import { readRecords, type RecordedRequest } from '../local/record.js';
import { pickRecord } from '../local/record-select.js';
import { quoteId } from '../lib/safe-name.js';
import { parseHttpUrl } from '../lib/http-url.js';
import { isLiteralLoopbackHost } from '../lib/loopback.js';
import { existingForwardingSecret } from '../local/forwarding-secret.js';
import { checkedId, ToolInputError, type ToolContext } from './tool-input.js';
import type { ToolArgs } from './tool-input.js';

function checkTo(to: unknown): void {
  const url = parseHttpUrl(String(to));
  if (typeof url === 'string')
    throw new ToolInputError(
      `invalid to ${quoteId(to)}: give an http:// or https:// URL on this machine, such as http://127.0.0.1:3000/webhooks/anchor.`,
    );
  // Literal loopback only: a DNS name that merely ends in .localhost resolves as the resolver says.
  if (!isLiteralLoopbackHost(url.hostname))
    throw new ToolInputError(
      `refused to ${quoteId(to)}: replay sends only to this machine (127.0.0.1, localhost or [::1]), because each replay is signed with the user's secret. Leave to out to send each delivery to the URL it was forwarded to, or give a loopback URL such as http://127.0.0.1:3000/webhooks/anchor.`,
    );
}

/**
 * The record a record_ids entry names: that record id, else the newest verified original record
 * of that event or delivery id. Resolved here so that the command replays exactly the record checked.
 */
function resolve(id: string, records: readonly RecordedRequest[]): RecordedRequest | undefined {
  // A refused request, a replay or a duplicate that claims the id never wins (record-select.ts).
  return pickRecord(records, id);
}

/**
 * A re-signed replay needs a secret: the server's ANCHOR_WEBHOOK_SECRET, else the user's
 * forwarding secret. Said in the tool's words when there is neither (the command's message names
 * flags an agent cannot pass).
 */
function checkSecret(args: ToolArgs, env: ToolContext['env']): void {
  if (args.as_received === true || env.ANCHOR_WEBHOOK_SECRET) return;
  let forwarding: unknown;
  try {
    forwarding = existingForwardingSecret(env, env.ANCHOR_PROFILE || 'default');
  } catch {
    // A forwarding secret that cannot be used: the command says why, with its fix.
    return;
  }
  if (forwarding === undefined)
    throw new ToolInputError(
      "no secret to re-sign the replay with: the server has no ANCHOR_WEBHOOK_SECRET and the user has no forwarding secret yet. Ask the user to run `anchor webhooks listen --print-secret` in a terminal (it creates the secret their app verifies forwarded deliveries with, for the app's .env), or pass as_received: true to send each request exactly as recorded (an app that checks freshness refuses it).",
    );
}

/** The replay tool's arguments, with record_ids resolved to verified record ids; a string is a refusal. */
export function checkReplay(args: ToolArgs, ctx: ToolContext): ToolArgs | string {
  try {
    if (args.to !== undefined && args.to !== null) checkTo(args.to);
    checkSecret(args, ctx.env);
    const given: unknown[] = Array.isArray(args.record_ids) ? args.record_ids : [];
    if (given.length === 0) return args;
    const ids = given.map((v) => checkedId(v, 'record_ids entry', 'record', 'list_received'));
    const records = readRecords(ctx.env, { nowMs: ctx.nowMs });
    const resolved = ids.map((id) => {
      const r = resolve(id, records);
      // Unknown ids go on to the command, which says that it has no such record.
      if (!r) return id;
      if (r.verdict !== 'ok')
        throw new ToolInputError(
          `refused record ${quoteId(id)}: listen refused that request, so its body is not known to come from Anchor, and replaying it would sign a stranger's body with the user's secret. Only verified deliveries are replayed: in list_received, those with "verdict": "ok".`,
        );
      return r.id;
    });
    return { ...args, record_ids: resolved };
  } catch (e) {
    if (e instanceof ToolInputError) return e.message;
    throw e;
  }
}
