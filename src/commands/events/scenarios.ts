// `anchor events scenarios`: the named scenarios `events trigger --scenario` plays.
import type { Context } from '../../context.js';
import type { RawInput } from '../../program.js';
import { SCENARIOS } from '../../core/scenarios.js';
import { style } from '../../ui/format.js';

export async function run(_input: RawInput, ctx: Context): Promise<void> {
  if (ctx.globals.json) {
    ctx.outJson(
      SCENARIOS.map((s) => ({ name: s.name, description: s.description, events: s.steps.map((e) => e.type) })),
    );
    return;
  }
  const s = style(ctx.colorStdout);
  const width = Math.max(...SCENARIOS.map((x) => x.name.length));
  for (const sc of SCENARIOS) {
    ctx.out(
      `${s.bold(sc.name.padEnd(width))}  ${sc.description}\n${' '.repeat(width + 2)}${s.dim(sc.steps.map((e) => e.type).join(' → '))}\n`,
    );
  }
  ctx.out(
    `\nPlay one: anchor events trigger --scenario <name> --forward-to <url> [--chaos duplicate,reorder,stale,bad-signature]\n`,
  );
}
