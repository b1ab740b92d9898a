// `anchor webhooks disable <id>`: a shortcut for `update --disable`; no new events fan out to it.
import { handler } from '../../handler.js';
import { renderWebhookChange } from '../shared/print.js';
import { resolveWebhookId } from '../shared/prompts.js';
import { runToggle } from '../shared/toggle.js';
import { disableCommand } from './decl.js';

export default handler(
  disableCommand,
  async ({ dryRun }, [given], ctx) => runToggle(await resolveWebhookId(ctx, given, 'disable'), false, dryRun, ctx),
  renderWebhookChange,
);
