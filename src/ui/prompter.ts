// Prompts through @inquirer/prompts on the context's own streams, so tests can drive them. Every
// prompt first checks that input is allowed, and otherwise fails naming the flag to pass instead.
import type { Context } from '../context.js';
import { CancelledError, UsageError } from '../errors.js';

export class Prompter {
  constructor(private readonly ctx: Context) {}

  /** Throws the usage error for a prompt that cannot be shown. */
  ensureInteractive(instead: string): void {
    if (this.ctx.canPrompt) return;
    const why = this.ctx.globals.json
      ? '--json is set'
      : !this.ctx.globals.input
        ? '--no-input is set'
        : this.ctx.env.CI
          ? 'CI is set'
          : 'stdin or stdout is not a terminal';
    throw new UsageError(`cannot prompt because ${why}; pass ${instead} instead`, {
      hint: `Prompts need a terminal on stdin and stdout, without --no-input, --json or CI set.`,
    });
  }

  private get streams() {
    return { input: this.ctx.io.stdin, output: this.ctx.io.stderr, clearPromptOnDone: false };
  }

  /** Maps inquirer's Ctrl-C to our cancellation (exit 130, nothing sent). */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) throw new CancelledError();
      throw e;
    }
  }

  async confirm(message: string, instead: string, defaultValue = false): Promise<boolean> {
    this.ensureInteractive(instead);
    const { confirm } = await import('@inquirer/prompts');
    return this.guard(() => confirm({ message, default: defaultValue }, this.streams));
  }

  async password(message: string, instead: string): Promise<string> {
    this.ensureInteractive(instead);
    const { password } = await import('@inquirer/prompts');
    return this.guard(() => password({ message, mask: '*', validate: (v) => (v.trim() ? true : 'The key is empty') }, this.streams));
  }
}
