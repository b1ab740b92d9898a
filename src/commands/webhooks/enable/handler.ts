// `anchor webhooks enable <id>`: a shortcut for `update --enable`.
import { handler } from '../../handler.js';
import { renderWebhookChange } from '../shared/print.js';
import { resolveWebhookId } from '../shared/prompts.js';
import { runToggle } from '../shared/toggle.js';
import { enableCommand } from './decl.js';

export default handler(
  enableCommand,
  async ({ dryRun }, [given], ctx) => runToggle(await resolveWebhookId(ctx, given, 'enable'), true, dryRun, ctx),
  renderWebhookChange,
);
