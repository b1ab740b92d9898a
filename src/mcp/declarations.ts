// The declarations of a built command tree, as program.ts keeps them for each command (the same
// objects that make its --help, parsing and completion), by command id.
import type { Command } from 'commander';
import type { CommandSpec } from '../commands/spec.js';
import { specOf } from '../program.js';

export function declarationsOf(root: Command): Map<string, CommandSpec> {
  const out = new Map<string, CommandSpec>();
  const walk = (c: Command) => {
    const spec = specOf(c);
    if (spec) out.set(spec.id, spec);
    for (const child of c.commands) walk(child);
  };
  walk(root);
  return out;
}
