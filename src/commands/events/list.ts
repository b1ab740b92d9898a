// `anchor events list`: every event type, grouped by entity, with a line on when it fires.
import type { Context } from '../../context.js';
import { ENTITIES, EVENT_CATALOG } from '../../core/events.js';
import { style } from '../../ui/format.js';

export async function run(_input: unknown, ctx: Context): Promise<void> {
  if (ctx.globals.json) {
    ctx.outJson(EVENT_CATALOG.map(({ type, entity, description }) => ({ type, entity, description })));
    return;
  }
  if (!ctx.humanTTY) {
    ctx.out(EVENT_CATALOG.map((e) => `${e.type}\t${e.entity}\t${e.description}`).join('\n') + '\n');
    return;
  }
  const s = style(ctx.colorStdout);
  const width = Math.max(...EVENT_CATALOG.map((e) => e.type.length));
  const blocks = ENTITIES.map((entity) => {
    const lines = EVENT_CATALOG.filter((e) => e.entity === entity).map(
      (e) => `  ${s.cyan(e.type.padEnd(width))}  ${e.description}`,
    );
    return `${s.bold(entity)}\n${lines.join('\n')}`;
  });
  ctx.out(`${blocks.join('\n\n')}\n\nSee one type's payload with \`anchor events show <type>\`.\n`);
}
