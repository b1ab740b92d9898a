// `anchor events scenarios`: the named scenarios `events trigger --scenario` plays.
import type { Context } from '../../../context.js';
import { SCENARIOS } from '../../../core/scenarios.js';
import { style } from '../../../ui/format.js';
import { handler } from '../../handler.js';
import { scenariosCommand } from './decl.js';

export interface ScenarioLine {
  name: string;
  description: string;
  /** The event types it sends, in order. */
  events: string[];
}

function renderScenarios(scenarios: ScenarioLine[], ctx: Context): void {
  const s = style(ctx.colorStdout);
  const width = Math.max(...scenarios.map((x) => x.name.length));
  for (const sc of scenarios) {
    ctx.out(
      `${s.bold(sc.name.padEnd(width))}  ${sc.description}\n${' '.repeat(width + 2)}${s.dim(sc.events.join(' → '))}\n`,
    );
  }
  ctx.out(
    `\nPlay one: anchor events trigger --scenario <name> --forward-to <url> [--chaos duplicate,reorder,stale,bad-signature]\n`,
  );
}

export default handler(
  scenariosCommand,
  async (): Promise<ScenarioLine[]> =>
    SCENARIOS.map((s) => ({ name: s.name, description: s.description, events: s.steps.map((e) => e.type) })),
  renderScenarios,
);
