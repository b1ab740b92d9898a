// `anchor webhooks inspect`: the inspector page over the delivery record, until Ctrl-C. A server:
// it prints its URL (with --json, `{ url }` at the start) and serves, so `run` returns nothing.
import { findLocalSecret } from '../../../local/local-secret.js';
import { handler } from '../../handler.js';
import { openInspector } from '../shared/open-inspector.js';
import { inspectCommand } from './decl.js';

export default handler(inspectCommand, async (o, _args, ctx): Promise<undefined> => {
  // --secret-file, ANCHOR_WEBHOOK_SECRET, then the forwarding secret: the one the app verifies.
  const secret = (await findLocalSecret(ctx, o.secretFile))?.secret;
  const stopped = new Promise<void>((resolve) => {
    const off = ctx.io.onSignal(() => {
      off();
      resolve();
    });
  });
  const inspector = await openInspector(ctx, o.port, secret ? () => secret : undefined, o.to, o.resetToken);
  ctx.err(
    `Inspector: ${inspector.url}\n  (open it in your browser; the token in it is required. ${secret ? 'Replays of verified requests are re-signed with your secret; refused ones go only as received.' : 'No secret given: replays go as received.'} The token is kept, so an open tab survives a restart; --reset-token makes a new one. Ctrl-C to stop.)\n`,
  );
  if (ctx.globals.json) ctx.outJson({ url: inspector.url });
  await stopped;
  await inspector.close();
  return undefined;
});
