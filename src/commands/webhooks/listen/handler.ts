// `anchor webhooks listen`: a local receiver that verifies every delivery, prints each event, can
// relay it to a local app, and with --register points a temporary webhook at a public tunnel URL.
// A server: it prints as it serves (with --until --json, the matching envelope at the end), so
// `run` returns nothing. --print-secret and --reset-secret manage the forwarding secret and exit.
import { handler } from '../../handler.js';
import { listenCommand } from './decl.js';
import { listenOptions } from './options.js';
import { runListen } from './serve.js';
import { manageForwardingSecret } from './forwarding.js';

export default handler(listenCommand, async (flags, _args, ctx): Promise<undefined> => {
  if (flags.printSecret || flags.resetSecret) {
    manageForwardingSecret({ print: flags.printSecret, reset: flags.resetSecret }, ctx);
    return undefined;
  }
  await runListen(listenOptions(flags, ctx.env), ctx);
  return undefined;
});
