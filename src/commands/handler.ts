// A command's code, bound to its declaration: `export default handler(createCommand, run, render)`.
// `run` gets the flags and positional arguments typed from that declaration and returns the value
// `--json` prints (undefined when the command wrote its own output, as `listen` streams); `render`
// shows that value to people. The registry (registry.ts) is typed by command id, so a handler bound
// to another command's declaration fails `npm run typecheck`, and `anchor mcp` calls `run` for data.
import type { Context } from '../context.js';
import { failureOf } from './result-view.js';
import { parseArgs, parseFlags, type ArgValues, type CommandSpec, type FlagValues } from './spec.js';

export { failing, failureOf } from './result-view.js';

export type Run<S extends CommandSpec, R> = (flags: FlagValues<S>, args: ArgValues<S>, ctx: Context) => Promise<R>;
export type Render<R> = (result: R, ctx: Context) => void | Promise<void>;

export interface Handler<S extends CommandSpec = CommandSpec, R = unknown> {
  readonly spec: S;
  readonly run: Run<S, R>;
  /** For people; without it, the result is printed as JSON (or nothing, when it is undefined). */
  render?(result: Exclude<R, undefined>, ctx: Context): void | Promise<void>;
  /**
   * `run` from what commander (or an MCP tool) collected: raw flag values and positional words,
   * parsed and checked with the declaration first, so every caller gets the same rules.
   */
  readonly call: (raw: Record<string, unknown>, words: readonly unknown[], ctx: Context) => Promise<R>;
}

export function handler<S extends CommandSpec, R>(
  spec: S,
  run: Run<S, R>,
  render?: Render<Exclude<R, undefined>>,
): Handler<S, R> {
  const call = (raw: Record<string, unknown>, words: readonly unknown[], ctx: Context) => {
    // What commander fills in for a flag not given, a caller without commander gets too.
    const filled: Record<string, unknown> = { ...raw };
    for (const [key, flag] of Object.entries(spec.flags))
      if (filled[key] === undefined && flag.rawDefault !== undefined) filled[key] = flag.rawDefault;
    return run(parseFlags(spec, filled), parseArgs(spec, words), ctx);
  };
  return render ? { spec, run, render, call } : { spec, run, call };
}

/** Prints what `run` returned: JSON with --json (or without a renderer), else the renderer's text. */
export async function present<R>(h: Pick<Handler<CommandSpec, R>, 'render'>, result: R, ctx: Context): Promise<void> {
  if (result === undefined) return;
  if (ctx.globals.json || !h.render) ctx.outJson(result);
  else await h.render(result as Exclude<R, undefined>, ctx);
  const failure = failureOf(result);
  if (failure) throw failure;
}
