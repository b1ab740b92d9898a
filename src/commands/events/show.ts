// `anchor events show <type>`: when it fires, its `data` fields and a realistic example envelope.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { eventInfo } from '../../core/events.js';
import { buildEnvelope, exampleData, type Envelope } from '../../core/event-examples.js';
import { describeFields } from '../../core/event-fields.js';
import { requireEventType } from '../flags.js';
import { style } from '../../ui/format.js';

const EXAMPLE_PROJECT = '5d2c31f6-ab7e-481a-b6fd-8b4a96a4e197';

const STEMS = ['4f8w9n2b', '7k2m5p9q', '3x6v8c1z', '9d4t7h2j'];

/** Stable, distinct ids, so an example reads the same each time (a real delivery has fresh ones). */
export function stableIds(): (prefix: string) => string {
  const used = new Map<string, number>();
  return (prefix) => {
    const n = used.get(prefix) ?? 0;
    used.set(prefix, n + 1);
    return `${prefix}${STEMS[n % STEMS.length]}`;
  };
}

export function exampleEnvelope(type: string, now: Date): Envelope {
  return buildEnvelope({
    type,
    projectId: EXAMPLE_PROJECT,
    now,
    id: 'evt_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y',
    data: exampleData(type, { now, id: stableIds() }),
  });
}

export async function run(input: RawInput, ctx: Context): Promise<void> {
  const type = requireEventType(
    input.args[0],
    'event type',
    'Usage: anchor events show <type>; see every type with `anchor events list`.',
  );
  const info = eventInfo(type)!;
  const example = exampleEnvelope(type, ctx.now());
  const fields = describeFields(example.data);
  if (ctx.globals.json) {
    ctx.outJson({ type, entity: info.entity, description: info.description, fields, example });
    return;
  }
  const s = style(ctx.colorStdout);
  const width = Math.max(...fields.map((f) => f.name.length));
  const typeWidth = Math.max(...fields.map((f) => f.type.length));
  ctx.out(
    [
      `${s.bold(type)}  (${info.entity}${info.newer ? ', newer API revision' : ''})`,
      info.description,
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
