// `anchor events list`: every event type, grouped by entity, with a line on when it fires.
import type { Context } from '../../../context.js';
import { ENTITIES, EVENT_CATALOG, type Entity } from '../../../core/events.js';
import { style } from '../../../ui/format.js';
import { handler } from '../../handler.js';
import { eventsListCommand } from './decl.js';

export interface EventTypeLine {
  type: string;
  entity: Entity;
  description: string;
}

function renderEventTypes(types: EventTypeLine[], ctx: Context): void {
  if (!ctx.humanTTY) {
    ctx.out(types.map((e) => `${e.type}\t${e.entity}\t${e.description}`).join('\n') + '\n');
    return;
  }
  const s = style(ctx.colorStdout);
  const width = Math.max(...types.map((e) => e.type.length));
  const blocks = ENTITIES.map((entity) => {
    const lines = types
      .filter((e) => e.entity === entity)
      .map((e) => `  ${s.cyan(e.type.padEnd(width))}  ${e.description}`);
    return `${s.bold(entity)}\n${lines.join('\n')}`;
  });
  ctx.out(`${blocks.join('\n\n')}\n\nSee one type's payload with \`anchor events show <type>\`.\n`);
}

export default handler(
  eventsListCommand,
  async (): Promise<EventTypeLine[]> =>
    EVENT_CATALOG.map(({ type, entity, description }) => ({ type, entity, description })),
  renderEventTypes,
);
