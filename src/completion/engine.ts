// Shell completion: given the words typed after `anchor`, the candidates for the last one, walked
// from the commander tree itself so completion never drifts from the commands. Protocol (as cobra's
// and gh's): one `value<TAB>description` line per candidate, then `:<directive>`, where directive 4
// means "no file names" and 0 lets the shell complete file names.
import type { Command, Option } from 'commander';
import { EVENT_CATALOG } from '../core/events.js';
import { scanArgv } from '../argv.js';
import { flagOf, optionsAt, specOf, valueRuleAt } from '../program.js';
import type { Completes } from '../commands/spec.js';

export const DIRECTIVE_DEFAULT = 0;
export const DIRECTIVE_NO_FILES = 4;

export interface Candidate {
  value: string;
  description: string;
}

export interface Completion {
  candidates: Candidate[];
  directive: number;
}

export interface CompletionSources {
  /** Webhook ids with a short description; [] when no key or the API is slow or down. */
  webhookIds: () => Promise<Candidate[]>;
}

const eventCandidates = (prefix = ''): Candidate[] =>
  EVENT_CATALOG.map((e) => ({ value: `${prefix}${e.type}`, description: e.description }));

/** The candidates a declaration names (`completes`), for the word being typed. */
async function declared(
  completes: Completes | undefined,
  current: string,
  describe: string,
  sources: CompletionSources,
  commaList = false,
  valueHelp: Readonly<Record<string, string>> = {},
): Promise<Completion> {
  if (completes === 'files') return { candidates: [], directive: DIRECTIVE_DEFAULT };
  let candidates: Candidate[] = [];
  // A comma list completes its last item.
  const lastComma = current.lastIndexOf(',');
  const prefix = lastComma >= 0 ? current.slice(0, lastComma + 1) : '';
  if (completes === 'event-types') candidates = eventCandidates(prefix);
  else if (completes === 'webhook-ids') candidates = await sources.webhookIds();
  else if (completes)
    candidates = completes.map((value) => ({
      value: `${commaList ? prefix : ''}${value}`,
      description: valueHelp[value] ?? describe,
    }));
  return { candidates: candidates.filter((c) => c.value.startsWith(current)), directive: DIRECTIVE_NO_FILES };
}

const optionsOf = (cmd: Command): Option[] => optionsAt(cmd).filter((o) => !o.hidden);

function findOption(cmd: Command, flag: string): Option | undefined {
  return optionsOf(cmd).find((o) => o.long === flag || o.short === flag);
}

function subcommand(cmd: Command, word: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
}

/** `words`: everything after `anchor`, the last being the word under the cursor (maybe empty). */
export async function complete(
  program: Command,
  words: readonly string[],
  sources: CompletionSources,
): Promise<Completion> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  let cmd = program;
  const positionals: string[] = [];
  let pendingValueFor: Option | undefined;
  for (const token of scanArgv(before, (flag) => valueRuleAt(cmd, flag))) {
    if (token.kind === 'end') break;
    if (token.kind === 'option') {
      // A flag typed last that takes a value, with none yet: the word under the cursor is its value.
      const opt = findOption(cmd, token.flag);
      pendingValueFor = opt && (opt.required || opt.optional) && token.value === undefined ? opt : undefined;
      continue;
    }
    pendingValueFor = undefined;
    const sub = positionals.length === 0 ? subcommand(cmd, token.text) : undefined;
    if (sub) cmd = sub;
    else positionals.push(token.text);
  }

  const result = (candidates: Candidate[], directive = DIRECTIVE_NO_FILES): Completion => ({
    candidates: candidates.filter((c) => c.value.startsWith(current)),
    directive,
  });

  // The value of an option.
  if (pendingValueFor) {
    const flag = flagOf(pendingValueFor);
    return declared(
      flag?.completes,
      current,
      flag?.description ?? '',
      sources,
      flag?.type === 'string[]',
      flag?.valueHelp,
    );
  }

  // Flags.
  if (current.startsWith('-')) {
    const seen = new Set<string>();
    const flags: Candidate[] = [];
    for (const o of optionsOf(cmd)) {
      for (const f of [o.long, o.short]) {
        if (f && !seen.has(f) && (current.startsWith('--') ? f.startsWith('--') : true)) {
          seen.add(f);
          flags.push({ value: f, description: o.description });
        }
      }
    }
    return result(flags);
  }

  // Subcommands, or the command's own arguments.
  if (cmd.commands.length > 0 && positionals.length === 0) {
    return result(
      cmd.commands
        .filter((c) => !(c as Command & { _hidden?: boolean })._hidden)
        .map((c) => ({ value: c.name(), description: c.description() })),
    );
  }
  const arg = specOf(cmd)?.args?.[positionals.length];
  return declared(arg?.completes, current, arg?.description ?? '', sources);
}

export function formatCompletion(c: Completion): string {
  return `${c.candidates.map((x) => `${x.value}\t${x.description.replace(/[\t\n]/g, ' ')}`).join('\n')}${c.candidates.length ? '\n' : ''}:${c.directive}\n`;
}
