// Prompts through @inquirer/prompts on the context's own streams, so tests can drive them. Every
// prompt first checks that input is allowed, and otherwise fails naming the flag to pass instead.
import type { GlobalOptions } from '../globals.js';
import type { IO } from '../io.js';
import { CancelledError, UsageError } from '../errors.js';

/** What prompting needs of its caller: whether it may prompt (and why not), the streams, colour. */
export interface PromptHost {
  readonly canPrompt: boolean;
  readonly globals: Pick<GlobalOptions, 'json' | 'input'>;
  readonly inCI: boolean;
  readonly io: Pick<IO, 'stdin' | 'stderr'>;
  readonly colorStderr: boolean;
}

export class Prompter {
  constructor(private readonly ctx: PromptHost) {}

  /** Throws the usage error for a prompt that cannot be shown. */
  ensureInteractive(instead: string, usage?: string): void {
    if (this.ctx.canPrompt) return;
    const why = this.ctx.globals.json
      ? '--json is set'
      : !this.ctx.globals.input
        ? '--no-input is set'
        : this.ctx.inCI
          ? 'CI is set'
          : 'stdin or stdout is not a terminal';
    throw new UsageError(`cannot prompt because ${why}; pass ${instead} instead`, {
      hint: usage ?? 'Prompts need a terminal on stdin and stdout, without --no-input, --json or CI set.',
    });
  }

  private get streams() {
    return { input: this.ctx.io.stdin, output: this.ctx.io.stderr, clearPromptOnDone: false };
  }

  /** Inquirer colours through node:util, which knows neither --no-color nor our stderr: plain when off. */
  private get theme(): Record<string, unknown> {
    if (this.ctx.colorStderr) return {};
    const plain = (text: string) => text;
    return {
      prefix: { idle: '?', done: '✔' },
      style: {
        answer: plain,
        message: plain,
        error: plain,
        defaultAnswer: plain,
        help: plain,
        highlight: plain,
        key: plain,
        description: plain,
        disabled: plain,
        keysHelpTip: () => undefined,
      },
      icon: { checked: '◉', unchecked: '◯', cursor: '❯' },
    };
  }

  async input(
    opts: { message: string; default?: string; validate?: (v: string) => true | string },
    instead: string,
  ): Promise<string> {
    this.ensureInteractive(instead);
    const { input } = await import('@inquirer/prompts');
    return this.guard(() =>
      input(
        {
          message: opts.message,
          ...(opts.default ? { default: opts.default, prefill: 'editable' as const } : {}),
          ...(opts.validate ? { validate: opts.validate } : {}),
          theme: this.theme,
        },
        this.streams,
      ),
    );
  }

  /** A checklist; `groups` become separators, `validate` gets the values checked. */
  async checkbox<T>(
    opts: {
      message: string;
      groups: Array<{
        title: string;
        choices: Array<{ name: string; value: T; description?: string; short?: string; checked?: boolean }>;
      }>;
      validate?: (values: T[]) => true | string;
    },
    instead: string,
  ): Promise<T[]> {
    this.ensureInteractive(instead);
    const { checkbox, Separator } = await import('@inquirer/prompts');
    const choices = opts.groups.flatMap((g) => [new Separator(`── ${g.title} ──`), ...g.choices]);
    return this.guard(() =>
      checkbox(
        {
          message: opts.message,
          choices,
          pageSize: Math.min(choices.length, 24),
          loop: false,
          ...(opts.validate
            ? { validate: (checked: ReadonlyArray<{ value: T }>) => opts.validate!(checked.map((c) => c.value)) }
            : {}),
          theme: this.theme,
        },
        this.streams,
      ),
    );
  }

  async select<T>(
    opts: { message: string; choices: Array<{ name: string; value: T; description?: string }> },
    instead: string,
  ): Promise<T> {
    this.ensureInteractive(instead);
    const { select } = await import('@inquirer/prompts');
    return this.guard(() =>
      select({ message: opts.message, choices: opts.choices, loop: false, theme: this.theme }, this.streams),
    );
  }

  /** Maps inquirer's Ctrl-C to our cancellation (exit 130, nothing sent). */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError'))
        throw new CancelledError();
      throw e;
    }
  }

  async confirm(message: string, instead: string, defaultValue = false): Promise<boolean> {
    this.ensureInteractive(instead);
    const { confirm } = await import('@inquirer/prompts');
    return this.guard(() => confirm({ message, default: defaultValue, theme: this.theme }, this.streams));
  }

  async password(message: string, instead: string): Promise<string> {
    this.ensureInteractive(instead);
    const { password } = await import('@inquirer/prompts');
    return this.guard(() =>
      password(
        { message, mask: '*', validate: (v) => (v.trim() ? true : 'The key is empty'), theme: this.theme },
        this.streams,
      ),
    );
  }
}
