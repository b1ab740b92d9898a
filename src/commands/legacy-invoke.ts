// `invoke` for a command module of the old shape (`{ run(input, ctx) }`), which prints its --json
// document itself: it runs with its stdout captured, and the document is its data. What it printed
// still reaches the caller's stdout, as on the command line, so a command that prints an answer
// and then fails (`verify` on a bad signature) is read as it is today. Goes when every command is
// a handler.
import { Writable } from 'node:stream';
import { Context, type IO } from '../context.js';
import type { Invoke, InvokeInput } from '../io.js';
import { parseGlobals } from '../globals.js';
import { buildProgram } from '../program.js';
import type { LegacyModule } from './registry.js';
import { parseFlags, type CommandSpec } from './spec.js';
import { specById } from './tree-lookup.js';
import type { CommandId } from './tree.js';

interface Host {
  main: (argv: string[], io: IO) => Promise<number>;
  invoke: Invoke;
  redactThrown: (e: unknown, ctx: Context) => unknown;
}

export async function invokeLegacy(
  mod: LegacyModule,
  id: CommandId,
  input: InvokeInput,
  io: IO,
  host: Host,
): Promise<unknown> {
  let printed = '';
  const stdout = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      printed += chunk.toString();
      done();
    },
  });
  const ctx = new Context({ ...io, stdout });
  ctx.globals = { ...parseGlobals(input.globals, io.env), json: true };
  ctx.invoke = host.invoke;
  const spec: CommandSpec = specById(id);
  // What commander fills in for a flag not given.
  const opts: Record<string, unknown> = { ...input.flags };
  for (const [key, flag] of Object.entries(spec.flags))
    if (opts[key] === undefined && flag.rawDefault !== undefined) opts[key] = flag.rawDefault;
  try {
    await mod.run(
      {
        args: [...input.words],
        opts,
        globals: input.globals,
        get root() {
          return buildProgram(async () => {}, { writeOut: () => {}, writeErr: () => {} });
        },
        spec,
        // The old shape's unchecked view, as program.ts gives it to these modules.
        flags: <S extends CommandSpec>() => parseFlags(spec as S, opts),
        main: host.main,
      },
      ctx,
    );
  } catch (e) {
    throw host.redactThrown(e, ctx);
  } finally {
    io.stdout.write(printed);
  }
  return printed.trim() ? JSON.parse(printed) : undefined;
}
