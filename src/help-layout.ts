// How help reads: defaults written one way, and, under a command, the global options named once in
// a line or two (as gh's "inherited flags"), since `anchor --help` describes them in full.
import type { Help, HelpConfiguration } from 'commander';
import { GLOBAL_OPTIONS } from './globals.js';

const GLOBAL_HEADING = 'Global Options:';

/** `--json, --profile <name>, …, --debug (anchor --help for details)`, from the table. */
export const compactGlobalOptions = (): string =>
  `${GLOBAL_OPTIONS.map((d) => d.flags).join(', ')} (\`anchor --help\` for details)`;

export const helpLayout: HelpConfiguration = {
  // Kept on, so that a command's own options line up in the same column as before.
  showGlobalOptions: true,
  // Defaults written one way everywhere: "(default: 30)", never quoted, never "(default 30)".
  optionDescription: (option) => {
    const shown =
      option.defaultValueDescription ??
      (option.defaultValue === undefined || typeof option.defaultValue === 'boolean'
        ? undefined
        : String(option.defaultValue));
    return shown === undefined ? option.description : `${option.description} (default: ${shown})`;
  },
  formatItemList(this: Help, heading: string, items: string[], helper: Help): string[] {
    if (items.length === 0) return [];
    if (heading !== GLOBAL_HEADING) return [helper.styleTitle(heading), ...items, ''];
    const width = (helper.helpWidth ?? 80) - 2;
    const lines = helper.boxWrap(compactGlobalOptions(), width).split('\n');
    return [helper.styleTitle(heading), ...lines.map((l) => `  ${l}`), ''];
  },
};
