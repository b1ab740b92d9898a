// main(): builds the context and the command tree, runs one command, and turns whatever it throws
// into a rendered error and an exit code. It never exits the process; bin/ does.
import { CommanderError } from 'commander';
import { Context, processIO, type IO } from './context.js';
import type { Invoke } from './io.js';
import { CliError, ExitCode, renderError, UsageError } from './errors.js';
import { parseGlobals } from './globals.js';
import { asksForHelp, commandWord, givenGlobals } from './argv.js';
import {
  buildProgram,
  commandPath,
  defaultCommandOf,
  takesNoArguments,
  unknownCommandWord,
  type RawInput,
} from './program.js';
import type { CommandId } from './commands/tree.js';
import { registry } from './commands/registry.js';
import { failureOf, present } from './commands/handler.js';
import { didYouMean } from './lib/suggest.js';
import { loadColour } from './ui/format.js';

/** The group a command line needs built (`completion` builds the whole tree itself). */
function groupToBuild(argv: readonly string[]): { only: string | null; leaf?: string } {
  const word = commandWord(argv);
  // A help request shows the group's commands with their usage: build them all then.
  const leaf = asksForHelp(argv) ? undefined : commandWord(argv, 1);
  return { only: word ?? null, ...(leaf !== undefined ? { leaf } : {}) };
}

export async function main(argv: string[], io: IO = processIO()): Promise<number> {
  const ctx = new Context(io);
  ctx.invoke = invoke;
  // Before commander has parsed argv, so that even a parse error is rendered as asked.
  const given = givenGlobals(argv);
  ctx.globals.json = given.get('json') === true;
  ctx.globals.debug = given.get('debug') === true;
  ctx.globals.color = given.get('color') !== false;
  let helpBuffer = '';

  const program = buildProgram(
    async (commandId, input) => {
      ctx.globals = parseGlobals(input.globals, io.env);
      if (ctx.colorStdout || ctx.colorStderr) await loadColour();
      await execute(commandId, input, ctx);
    },
    { writeOut: (s) => io.stdout.write(s), writeErr: (s) => (helpBuffer += s) },
    groupToBuild(argv),
  );

  try {
    // Commander does not call these words unknown: a help request shows the group's help instead,
    // and a group with a default command (`webhooks received`) passes the word to it.
    const unknown = unknownCommandWord(program, argv);
    if (unknown && (asksForHelp(argv) || takesNoArguments(defaultCommandOf(unknown.parent)))) {
      const names = unknown.parent.commands.flatMap((c) => [c.name(), ...c.aliases()]);
      throw new UsageError(`unknown command '${unknown.word}'.${didYouMean(unknown.word, names)}`, {
        hint: `Run \`${commandPath(unknown.parent)} --help\` to see what is available.`,
      });
    }
    await program.parseAsync(argv.length === 0 ? ['--help'] : argv, { from: 'user' });
    return ExitCode.ok;
  } catch (caught) {
    let err = caught;
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.ok;
      if (err.code === 'commander.help') {
        // A group run without a subcommand: its help is the answer.
        io.stdout.write(helpBuffer);
        return ExitCode.ok;
      }
      err = commanderToUsage(err, argv);
    }
    return renderError(err, {
      json: ctx.globals.json,
      debug: ctx.globals.debug,
      color: ctx.colorStderr,
      write: (s) => io.stderr.write(ctx.redact(s)),
    });
  }
}

/**
 * Runs one command for its data (`anchor mcp`'s tools), with a context of its own on `io`: the value
 * is what --json would print, and a failure is the command's typed error, both redacted as main()
 * would write them.
 */
export const invoke: Invoke = async (id, input, io) => {
  const { default: h } = await registry[id]();
  const ctx = new Context(io);
  ctx.globals = parseGlobals(input.globals, io.env);
  ctx.invoke = invoke;
  try {
    const result = await h.call(input.flags, input.words, ctx);
    const data: unknown = result === undefined ? undefined : JSON.parse(ctx.redact(JSON.stringify(result)));
    const failure = failureOf(result);
    return failure ? { data, failure: redactThrown(failure, ctx) as Error } : { data };
  } catch (e) {
    throw redactThrown(e, ctx);
  }
};

/** An error a command threw, its message and hint redacted with the secrets `ctx` registered. */
function redactThrown(e: unknown, ctx: Context): unknown {
  if (!(e instanceof Error)) return e;
  e.message = ctx.redact(e.message);
  // The hint is read-only to commands; here it is rewritten once, on its way out, as renderError would.
  if (e instanceof CliError && e.hint !== undefined) Object.assign(e, { hint: ctx.redact(e.hint) });
  return e;
}

/** Runs one command: its handler gets typed flags and arguments, and what it returns is printed. */
async function execute(commandId: CommandId, input: RawInput, ctx: Context): Promise<void> {
  const { default: h } = await registry[commandId]();
  await present(h, await h.call(input.opts, input.args, ctx), ctx);
}

function commanderToUsage(err: CommanderError, argv: string[]): CliError {
  const [first, ...rest] = err.message.replace(/^error: /, '').split('\n');
  const suggestion = rest
    .join(' ')
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  const words = argv.filter((a) => !a.startsWith('-'));
  const command = words.slice(0, 2).join(' ');
  // An unknown subcommand points at the help of its group (`anchor webhooks --help`), not the top.
  const unknownWord = err.code === 'commander.unknownCommand' ? /'([^']*)'/.exec(err.message)?.[1] : undefined;
  const group = unknownWord === undefined ? [] : words.slice(0, Math.max(0, words.indexOf(unknownWord)));
  const helpFor =
    err.code === 'commander.unknownCommand'
      ? `anchor ${[...group, '--help'].join(' ')}`
      : `anchor ${command} --help`.replace('  ', ' ');
  const message = `${first}${suggestion ? `. ${suggestion}` : ''}`;
  return new UsageError(message, { hint: `Run \`${helpFor}\` to see what is available.` });
}
