// The commander tree built from the declarations (src/commands/tree.ts): help text, options and
// one action per command, which hands what commander collected to the dispatcher (src/cli.ts).
import { Argument, Command, Help, Option } from 'commander';
import { UsageError } from './errors.js';
import { scanArgv, type ValueRule } from './argv.js';
import { GLOBAL_OPTIONS, type GlobalOptionDef } from './globals.js';
import { helpLayout } from './help-layout.js';
import { longFlag, type CommandSpec, type Flag } from './commands/spec.js';
import { TREE, namesOf, type CommandId, type TreeNode } from './commands/tree.js';

/**
 * What commander collected for the command dispatched, raw: its positional words, its flag values
 * and the global options, unvalidated. The command's handler parses them with its declaration.
 */
export interface RawInput {
  args: string[];
  opts: Record<string, unknown>;
  globals: Record<string, unknown>;
  /** The declaration of the command dispatched. */
  spec: CommandSpec;
}

export type Dispatch = (commandId: CommandId, input: RawInput) => Promise<void>;

export interface ProgramIO {
  writeOut: (s: string) => void;
  writeErr: (s: string) => void;
  /** What help may know of stdout without commander asking process.stdout (the help fast path). */
  terminal?: { columns: number | undefined; colors: boolean };
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/**
 * The first word that names no command where one is expected (for a help request, commander would
 * show the parent's help for it; in a group with a default command, it would pass it to that
 * command as an argument), with the group it is in; undefined when all is known. Option values
 * (`--profile ci`, `--since 1h`) are not command words.
 */
export function unknownCommandWord(
  program: Command,
  argv: readonly string[],
): { word: string; parent: Command } | undefined {
  let cmd = program;
  for (const token of scanArgv(argv, (flag) => valueRuleAt(cmd, flag))) {
    if (token.kind === 'end') return undefined;
    if (token.kind === 'option') continue;
    if (cmd.commands.length === 0) return undefined;
    const next = cmd.commands.find((c) => c.name() === token.text || c.aliases().includes(token.text));
    if (!next) return { word: token.text, parent: cmd };
    cmd = next;
  }
  return undefined;
}

/**
 * The options a flag given at `cmd` can be: its own, its default command's (`webhooks received
 * --since 1h` is `received list`'s), then its parents'. For help, completion and typo checks.
 */
export function optionsAt(cmd: Command): Option[] {
  const fallback = defaults.get(cmd);
  const chain = fallback ? [cmd, fallback] : [cmd];
  for (let c = cmd.parent; c; c = c.parent) chain.push(c);
  return chain.flatMap((c) => c.options);
}

/** What `flag` does with the next word where it is given; undefined: no such option there. */
export function valueRuleAt(cmd: Command, flag: string): ValueRule | undefined {
  const option = optionsAt(cmd).find((o) => o.long === flag || o.short === flag);
  if (!option) return undefined;
  return option.required ? 'required' : option.optional ? 'optional' : 'none';
}

/** `anchor webhooks received`: the words that run a command, for hints. */
export function commandPath(cmd: Command): string {
  const words: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

export interface BuildOptions {
  /**
   * Build the commands of this group only (the others get their name and description, for the
   * top-level help and "did you mean"); null: none; undefined: every group (help, completion).
   */
  only?: string | null;
  /**
   * Within that group, build this command only (the others get their name, aliases and
   * description, enough for "did you mean"); undefined: all of them (the group's help).
   */
  leaf?: string;
}

export function buildProgram(dispatch: Dispatch, io: ProgramIO, build: BuildOptions = {}): Command {
  const program = new Command('anchor');
  program
    .description('Manage, test and debug Anchor Browser webhooks from the terminal and CI.')
    .version(__ANCHOR_VERSION__, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    .configureHelp(helpLayout);
  for (const def of GLOBAL_OPTIONS as readonly GlobalOptionDef[]) program.option(def.flags, def.help, def.default);
  program
    .configureOutput({
      writeOut: io.writeOut,
      writeErr: io.writeErr,
      outputError: () => {},
      ...(io.terminal
        ? { getOutHelpWidth: () => io.terminal!.columns ?? 80, getOutHasColors: () => io.terminal!.colors }
        : {}),
    })
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText(
      'after',
      examples(
        'printf %s "$ANCHOR_KEY" | anchor auth login --with-key',
        'anchor webhooks create --url https://example.com/hooks --event task.completed,task.failed',
        "anchor webhooks list --json | jq -r '.[].id'",
        'anchor webhooks test wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y --event task.completed --wait',
        'anchor webhooks verify --signature "$SIG" --payload body.json --secret-file ./anchor-secret',
        'anchor emulator --port 0 --allow-local-targets',
      ) + '\nLearn more about a command with `anchor <command> --help`.\n',
    );

  const action =
    (commandId: CommandId) =>
    async (...received: unknown[]): Promise<void> => {
      const cmd = received.at(-1) as Command;
      const clash = contradictions(cmd);
      if (clash) throw new UsageError(`${clash[0]} and ${clash[1]} contradict each other; give one of them`);
      const all = cmd.optsWithGlobals();
      const globals: Record<string, unknown> = {};
      for (const { key } of GLOBAL_OPTIONS) globals[key] = all[key];
      // A variadic last argument (`replay <record-id...>`) keeps every value.
      const variadic = cmd.registeredArguments.at(-1)?.variadic === true;
      await dispatch(commandId, {
        args: variadic ? [...cmd.args] : cmd.args.slice(0, cmd.registeredArguments.length),
        opts: cmd.opts(),
        globals,
        spec: specs.get(cmd)!,
      });
    };

  const add = (parent: Command, node: TreeNode): void => {
    if ('group' in node) {
      const group = parent
        .command(node.group)
        .description(node.description)
        .helpCommand(false)
        .addHelpText('after', examples(...node.examples));
      const leafKnown = build.leaf !== undefined && node.commands.some((c) => namesOf(c).includes(build.leaf!));
      for (const child of node.commands) {
        if (parent === program && build.leaf !== undefined && !namesOf(child).includes(build.leaf)) {
          // A command of the group this command line does not run: nothing when the line names a
          // command of the group, else its name, for "did you mean".
          if (leafKnown) continue;
          const [name, alias] = namesOf(child);
          const shell = group.command(name!).description(child.description);
          if (alias) shell.alias(alias);
          continue;
        }
        if ('group' in child) add(group, child);
        else declare(group, child, action, child.id.endsWith(` ${node.default}`));
      }
      // `webhooks received --help` lists the options its default command takes from the group.
      const fallback = defaults.get(group);
      if (fallback)
        group.configureHelp({
          ...helpLayout,
          visibleOptions: (c) => [...fallback.options.filter((x) => !x.hidden), ...new Help().visibleOptions(c)],
        });
      if (node.sections) {
        for (const [heading, names] of Object.entries(node.sections)) {
          for (const sub of group.commands) if (names.includes(sub.name())) sub.helpGroup(heading);
        }
      }
    } else declare(parent, node, action);
  };
  const onlyKnown = typeof build.only === 'string' && TREE.some((n) => namesOf(n).includes(build.only!));
  for (const node of TREE) {
    if (build.only !== undefined && !namesOf(node).includes(build.only ?? '')) {
      // What this command line does not name: nothing when it names a command, else a group's
      // name and description (for "did you mean"); a top-level command is declared whole, as the
      // top-level help shows whether it has options.
      if (onlyKnown) continue;
      if ('group' in node) {
        program.command(node.group).description(node.description).helpCommand(false);
        continue;
      }
    }
    add(program, node);
  }

  trackGivenFlags(program);
  return program;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The declaration behind each command and flag of the tree, for completion. */
const specs = new WeakMap<Command, CommandSpec>();
const flagSpecs = new WeakMap<Option, Flag<unknown>>();
export const specOf = (cmd: Command): CommandSpec | undefined => specs.get(cmd);
export const flagOf = (option: Option): Flag<unknown> | undefined => flagSpecs.get(option);

/** The command a group runs when none is named (`webhooks received` → `list`). */
const defaults = new WeakMap<Command, Command>();
export const defaultCommandOf = (group: Command): Command | undefined => defaults.get(group);
export const takesNoArguments = (cmd: Command | undefined): boolean =>
  cmd !== undefined && cmd.registeredArguments.length === 0;

/** Adds one declared command under `parent`. */
export function declare(
  parent: Command,
  spec: CommandSpec,
  action: (id: CommandId) => (...a: unknown[]) => Promise<void>,
  isDefault = false,
) {
  const name = spec.id.split(' ').at(-1)!;
  const cmd = parent.command(name, { isDefault }).description(spec.description);
  if (isDefault) defaults.set(parent, cmd);
  if (spec.alias) cmd.alias(spec.alias);
  for (const arg of spec.args ?? []) {
    const argument = new Argument(arg.name, arg.description);
    if (arg.choices) argument.choices(arg.choices);
    cmd.addArgument(argument);
  }
  for (const [key, flag] of Object.entries(spec.flags)) {
    const option = new Option(flag.flags, flag.description);
    if (flag.rawDefault !== undefined) option.default(flag.rawDefault);
    if (flag.repeat && !option.variadic) option.argParser(collect);
    // The key a command reads is the one commander stores the value under: checked, not assumed.
    if (option.attributeName() !== key)
      throw new Error(`${spec.id}: ${flag.flags} is stored as "${option.attributeName()}", declared as "${key}"`);
    cmd.addOption(option);
    flagSpecs.set(option, flag);
    if (flag.negation) cmd.addOption(new Option(`--no-${longFlag(flag.flags).slice(2)}`, flag.negation));
  }
  cmd.addHelpText('after', examples(...spec.examples)).action(action(spec.id as CommandId));
  specs.set(cmd, spec);
}

/** The long flags given on the command line, per command (commander keeps only the last value). */
const givenFlags = new WeakMap<Command, Set<string>>();

function trackGivenFlags(cmd: Command): void {
  const given = new Set<string>();
  givenFlags.set(cmd, given);
  for (const o of cmd.options) if (o.long) cmd.on(`option:${o.name()}`, () => given.add(o.long!));
  for (const sub of cmd.commands) trackGivenFlags(sub);
}

/** A flag given together with its own negation (`--description x --no-description`). */
function contradictions(cmd: Command): [string, string] | undefined {
  const given = givenFlags.get(cmd);
  for (const flag of given ?? []) {
    if (flag.startsWith('--no-') && given!.has(`--${flag.slice(5)}`)) return [`--${flag.slice(5)}`, flag];
  }
  return undefined;
}
