// An ora spinner on stderr, only in a terminal and never with --json or in CI; silent otherwise.
import type { Context } from '../context.js';

export interface Spinner {
  stop: () => void;
  /** Changes the text (a no-op when the spinner is not shown). */
  update: (text: string) => void;
}

export async function startSpinner(ctx: Context, text: string): Promise<Spinner> {
  const ci = Boolean(ctx.env.CI && ctx.env.CI !== 'false' && ctx.env.CI !== '0');
  if (!ctx.stderrIsTTY || ctx.globals.json || ci || ctx.globals.debug) return { stop: () => {}, update: () => {} };
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream: ctx.io.stderr, color: ctx.colorStderr ? 'cyan' : false, isEnabled: true, discardStdin: false }).start();
  return {
    stop: () => spinner.stop(),
    update: (t) => {
      spinner.text = t;
    },
  };
}
