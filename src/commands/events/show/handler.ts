// `anchor events show <type>`: when it fires, its `data` fields and a realistic example envelope.
import type { Context } from '../../../context.js';
import { eventInfo, type Entity } from '../../../core/events.js';
import { buildEnvelope, exampleData, type Envelope } from '../../../core/event-examples.js';
import { describeFields, type FieldDoc } from '../../../core/event-fields.js';
import { style } from '../../../ui/format.js';
import { handler } from '../../handler.js';
import { requireEventType } from '../../flags.js';
import { eventsShowCommand } from './decl.js';

const EXAMPLE_PROJECT = '5d2c31f6-ab7e-481a-b6fd-8b4a96a4e197';

const STEMS = ['4f8w9n2b', '7k2m5p9q', '3x6v8c1z', '9d4t7h2j'];

export interface EventTypeDoc {
  type: string;
  entity: Entity;
  description: string;
  fields: FieldDoc[];
  example: Envelope;
}

/** Stable, distinct ids, so an example reads the same each time (a real delivery has fresh ones). */
function stableIds(): (prefix: string) => string {
  const used = new Map<string, number>();
  return (prefix) => {
    const n = used.get(prefix) ?? 0;
    used.set(prefix, n + 1);
    return `${prefix}${STEMS[n % STEMS.length]}`;
  };
}

function exampleEnvelope(type: string, now: Date): Envelope {
  return buildEnvelope({
    type,
    projectId: EXAMPLE_PROJECT,
    now,
    id: 'evt_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y',
    data: exampleData(type, { now, id: stableIds() }),
  });
}

function renderEventType(doc: EventTypeDoc, ctx: Context): void {
  const { type, fields, example } = doc;
  const s = style(ctx.colorStdout);
  const width = Math.max(...fields.map((f) => f.name.length));
  const typeWidth = Math.max(...fields.map((f) => f.type.length));
  ctx.out(
    [
      `${s.bold(type)}  (${doc.entity}${eventInfo(type)?.newer ? ', newer API revision' : ''})`,
      doc.description,
      '',
      s.bold('data fields'),
      ...fields.map((f) => `  ${f.name.padEnd(width)}  ${s.dim(f.type.padEnd(typeWidth))}  ${f.description}`),
      '',
      s.bold('Example envelope'),
      JSON.stringify(example, null, 2),
      '',
    ].join('\n'),
  );
}

export default handler(
  eventsShowCommand,
  async (_flags, [given], ctx): Promise<EventTypeDoc> => {
    const type = requireEventType(
      given,
      'event type',
      'Usage: anchor events show <type>; see every type with `anchor events list`.',
    );
    const info = eventInfo(type)!;
    const example = exampleEnvelope(type, ctx.now());
    const fields = describeFields(example.data);
    return { type, entity: info.entity, description: info.description, fields, example };
  },
  renderEventType,
);
