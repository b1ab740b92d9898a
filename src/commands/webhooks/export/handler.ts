// `anchor webhooks export`: the project's webhooks as an apply file that `apply` takes back
// unchanged (`export | apply -f - --check` exits 0). Each entry pins its webhook's `id`, so an
// edited URL is applied as an update of the same webhook (same secret), and two webhooks may share
// a URL. --json and `--format json` print the same document; people get YAML.
import { Document, isScalar, isSeq, visit } from 'yaml';
import type { Context } from '../../../context.js';
import type { WebhookPublic } from '../../../api/schemas.js';
import { handler } from '../../handler.js';
import { viewOf, withView, type WithView } from '../../result-view.js';
import type { FlagValues } from '../../spec.js';
import { exportCommand } from './decl.js';
import { isTemporaryWebhook } from '../shared/temporary.js';
import { escapeControl } from '../../../ui/format.js';

export interface ApplyFileEntry {
  id: string;
  url: string;
  events: string[];
  description?: string;
  enabled?: boolean;
}

export interface ApplyFile {
  webhooks: ApplyFileEntry[];
}

type Exported = WithView<ApplyFile, { format: NonNullable<FlagValues<typeof exportCommand>['format']> }>;

/** A webhook as the file says it: description only when set, enabled only when false. */
export function toFileEntry(w: WebhookPublic): ApplyFileEntry {
  return {
    id: w.id,
    url: w.url,
    events: [...w.subscribed_events],
    ...(w.description ? { description: w.description } : {}),
    ...(w.enabled ? {} : { enabled: false }),
  };
}

/** The file in YAML, event lists on one line each: `events: [task.completed, task.failed]`. */
function renderExport(result: Exported, ctx: Context): void {
  const file: ApplyFile = { webhooks: result.webhooks };
  if (viewOf(result).format === 'json') {
    ctx.outJson(file);
    return;
  }
  const doc = new Document(file);
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'events' && isSeq(pair.value)) pair.value.flow = true;
    },
  });
  ctx.out(
    `# The webhooks of this Anchor project, for \`anchor webhooks apply -f <this file>\`.\n# Each \`id\` pins its webhook, so a new URL updates it; an entry without one is matched by URL.\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`,
  );
}

export default handler(
  exportCommand,
  async ({ format = 'yaml' }, _args, ctx): Promise<Exported> => {
    const api = await ctx.api();
    const { webhooks } = await ctx.withSpinner('Reading the project’s webhooks…', () => api.listWebhooks());
    const temporary = webhooks.filter(isTemporaryWebhook);
    if (temporary.length)
      ctx.err(
        `Left out ${temporary.length} temporary webhook(s) of \`listen --register\` (${temporary.map((w) => escapeControl(w.id)).join(', ')}): each is deleted when its listener stops, and apply leaves them alone.\n`,
      );
    return withView({ webhooks: webhooks.filter((w) => !isTemporaryWebhook(w)).map(toFileEntry) }, { format });
  },
  renderExport,
);
