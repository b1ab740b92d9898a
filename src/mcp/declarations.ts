// The declarations of a built command tree, read off the commander objects where program.ts keeps
// them (under a registered symbol), so that `anchor mcp` needs no runtime import of spec.ts.
import type { CommandSpec } from '../commands/spec.js';

const DECLARATION = Symbol.for('anchor.declaration');

export function declarationsOf(root: { commands: readonly object[] }): Map<string, CommandSpec> {
  const out = new Map<string, CommandSpec>();
  const walk = (c: { commands?: readonly object[] }) => {
    const spec = (c as { [DECLARATION]?: CommandSpec })[DECLARATION];
    if (spec) out.set(spec.id, spec);
    for (const child of c.commands ?? []) walk(child as { commands?: readonly object[] });
  };
  walk(root);
  return out;
}
