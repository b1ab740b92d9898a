// What check_receiver and trigger_event may send, checked before their commands run: only to this
// machine (the app the agent is writing), and only signed with the secret the command line would
// use, the server's ANCHOR_WEBHOOK_SECRET else the user's forwarding secret; never one from an
// argument, so an agent cannot sign what it likes with a secret it chose or send it elsewhere.
import { parseHttpUrl } from '../lib/http-url.js';
import { isLiteralLoopbackHost } from '../lib/loopback.js';
import { quoteId } from '../lib/safe-name.js';
import { existingForwardingSecret } from '../local/forwarding-secret.js';
import { ToolInputError, type ToolContext } from './tool-input.js';

const EXAMPLE = 'http://127.0.0.1:3000/webhooks/anchor';

/** The url argument as a URL on this machine, or a ToolInputError in the tool's words. */
export function loopbackUrl(value: unknown, tool: string): string {
  const url = typeof value === 'string' ? parseHttpUrl(value) : 'not text';
  if (typeof url === 'string')
    throw new ToolInputError(
      `invalid url ${quoteId(value)}: ${url}. Give the http:// or https:// URL of the user's local app, such as ${EXAMPLE}.`,
    );
  if (!isLiteralLoopbackHost(url.hostname))
    throw new ToolInputError(
      `refused url ${quoteId(value)}: ${tool} sends only to this machine (127.0.0.1, localhost or [::1]), because what it sends is signed with the user's secret. Give the local app's URL, such as ${EXAMPLE}.`,
    );
  return url.toString();
}

/** A ToolInputError when the server has no secret to sign with; the command then finds the same one. */
export function requireSigningSecret(ctx: ToolContext, tool: string): void {
  if (ctx.env.ANCHOR_WEBHOOK_SECRET) return;
  let found: unknown;
  try {
    found = existingForwardingSecret(ctx.env, ctx.env.ANCHOR_PROFILE || 'default');
  } catch {
    // A forwarding secret that cannot be used: the command says why, with its fix.
    return;
  }
  if (found === undefined)
    throw new ToolInputError(
      `${tool} has no secret to sign with: this server has no ANCHOR_WEBHOOK_SECRET, and the user has no local forwarding secret yet. Ask the user either to create the forwarding secret (the anchor CLI's "webhooks listen" prints it on request, for the app's .env) or to restart this server with ANCHOR_WEBHOOK_SECRET set to the secret their app verifies with. A secret is never passed as a tool argument.`,
    );
}
