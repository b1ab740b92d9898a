// Which tools `anchor mcp` offers: every one, or only those that change nothing (--read-only),
// narrowed to --tools and less --exclude-tools. A selection that cannot be served is the user's
// mistake on the command line (exit 2), said before the server starts.
import { UsageError } from '../errors.js';
import type { ToolDef } from './tool-def.js';

export interface ToolChoice {
  readOnly: boolean;
  tools?: readonly string[] | undefined;
  excludeTools?: readonly string[] | undefined;
}

export function selectTools(all: readonly ToolDef[], o: ToolChoice): ToolDef[] {
  const both = (o.tools ?? []).filter((n) => o.excludeTools?.includes(n));
  if (both.length)
    throw new UsageError(`--tools and --exclude-tools both name ${both.join(', ')}`, {
      hint: 'Name a tool in one of them.',
    });
  if (o.readOnly) {
    const changing = (o.tools ?? []).filter((n) => all.find((t) => t.name === n)?.readOnly === false);
    if (changing.length)
      throw new UsageError(
        `--tools names ${changing.join(', ')}, which --read-only does not offer (it changes things)`,
        {
          hint: `Drop --read-only, or those names: the read-only tools are ${all
            .filter((t) => t.readOnly)
            .map((t) => t.name)
            .join(', ')}.`,
        },
      );
  }
  const chosen = all.filter(
    (t) =>
      (!o.readOnly || t.readOnly) &&
      (o.tools === undefined || o.tools.includes(t.name)) &&
      !(o.excludeTools ?? []).includes(t.name),
  );
  if (chosen.length === 0)
    throw new UsageError('no tool is left to offer', { hint: 'Exclude fewer tools with --exclude-tools.' });
  return chosen;
}
