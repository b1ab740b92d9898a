// The one context every command works through: streams and TTY facts, colour, clock, signals,
// secrets redaction, and the lazily built config store, credentials, API client, prompter and spinner.
import { colorEnabled } from './lib/color.js';
import { Redactor } from './lib/redact.js';
import { onStopSignals } from './lib/stop-signals.js';
import { CancelledError } from './errors.js';
import { defaultGlobals, type GlobalOptions } from './globals.js';
import type { ConfigStore } from './config/store.js';
import type { ApiClient } from './api/client.js';
import type { Prompter } from './ui/prompter.js';
import type { Spinner } from './ui/spinner.js';
import type { Invoke, IO } from './io.js';

export type { InStream, IO, OutStream, SignalName } from './io.js';

export function processIO(): IO {
  return {
    // Lazy: creating process.stdin costs a few ms, and most commands never read it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => new Date(),
    // SIGHUP too: a terminal that closes must not leave a temporary webhook or a tunnel behind.
    onSignal: (handler) => onStopSignals(handler, [process.stdout, process.stderr]),
  };
}

export type { GlobalOptions };

/** The environment variables that hold an API key or a webhook signing secret. */
const SECRET_ENV = ['ANCHOR_API_KEY', 'ANCHORBROWSER_API_KEY', 'ANCHOR_WEBHOOK_SECRET'] as const;

export class Context {
  globals: GlobalOptions = defaultGlobals();
  private readonly redactor = new Redactor();
  private configPromise: Promise<ConfigStore> | undefined;
  private apiPromise: Promise<ApiClient> | undefined;
  private prompterInstance: Prompter | undefined;
  /** Runs another command for its data (set by cli.ts, for `anchor mcp`; no module imports cli.ts). */
  invoke: Invoke | undefined;

  constructor(readonly io: IO) {
    // Keys and secrets in the environment are redacted from the start, whether or not this command
    // line reads them: an app's answer that `replay` prints may echo the .env it shares with us.
    for (const name of SECRET_ENV) this.redactor.add(io.env[name]);
  }

  get env(): Record<string, string | undefined> {
    return this.io.env;
  }
  now(): Date {
    return this.io.now();
  }

  get stdoutIsTTY(): boolean {
    return this.io.stdout.isTTY === true;
  }
  get stderrIsTTY(): boolean {
    return this.io.stderr.isTTY === true;
  }
  get stdinIsTTY(): boolean {
    return this.io.stdin.isTTY === true;
  }

  /** Whether CI is set: any value but empty, `false` or `0` (the one place this is decided). */
  get inCI(): boolean {
    const ci = this.env.CI;
    return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
  }

  /** Whether a prompt may be shown: a terminal on both ends, input allowed, not CI, not --json. */
  get canPrompt(): boolean {
    return this.globals.input && !this.globals.json && !this.inCI && this.stdinIsTTY && this.stdoutIsTTY;
  }

  get colorStdout(): boolean {
    return !this.globals.json && colorEnabled({ isTTY: this.stdoutIsTTY, env: this.env, flag: this.globals.color });
  }
  get colorStderr(): boolean {
    return !this.globals.json && colorEnabled({ isTTY: this.stderrIsTTY, env: this.env, flag: this.globals.color });
  }

  /** Human output: a terminal gets tables and relative times; a pipe gets plain text. */
  get humanTTY(): boolean {
    return this.stdoutIsTTY && !this.globals.json;
  }

  /** Results on stdout. Registered secrets are redacted here too: an API message may echo the key. */
  out(text: string): void {
    this.io.stdout.write(this.redact(text));
  }
  err(text: string): void {
    this.io.stderr.write(this.redact(text));
  }
  /** One JSON document on stdout. */
  outJson(value: unknown): void {
    this.out(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Registers a value (API key, signing secret) that must never appear in output, logs or traces. */
  addSecret(value: string | undefined): void {
    this.redactor.add(value);
  }
  redact(text: string): string {
    return this.redactor.redact(text);
  }
  /** The config store, opened on first use. */
  config(): Promise<ConfigStore> {
    this.configPromise ??= import('./config/store.js').then((m) =>
      m.ConfigStore.open(this.env, (line) => this.err(line)),
    );
    return this.configPromise;
  }

  /** The API client, built on first use with the resolved URL and key. */
  api(): Promise<ApiClient> {
    this.apiPromise ??= import('./api/client.js').then((m) => m.createApiClient(this));
    return this.apiPromise;
  }

  /** Prompts on the context's streams; refuses (exit 2, naming the flag) when input is off. */
  async prompter(): Promise<Prompter> {
    if (!this.prompterInstance) {
      const { Prompter } = await import('./ui/prompter.js');
      this.prompterInstance = new Prompter(this);
    }
    return this.prompterInstance;
  }

  /** A spinner on stderr, shown only in a terminal; a no-op otherwise. */
  async spinner(text: string): Promise<Spinner> {
    const { startSpinner } = await import('./ui/spinner.js');
    return startSpinner(this, text);
  }

  /**
   * Runs `work` behind a spinner. Ctrl-C (SIGTERM, SIGHUP) meanwhile rejects with CancelledError, so
   * the command's own clean-up runs and the process ends with 130, the spinner cleared; the
   * abandoned request is dropped when the process exits.
   */
  async withSpinner<T>(
    text: string,
    work: () => Promise<T>,
    interrupted = 'Interrupted before the API answered.',
  ): Promise<T> {
    const spinner = await this.spinner(text);
    let off: () => void = () => {};
    const signal = new Promise<never>((_, reject) => {
      off = this.io.onSignal(() => reject(new CancelledError(interrupted)));
    });
    try {
      return await Promise.race([work(), signal]);
    } finally {
      off();
      spinner.stop();
    }
  }

  /** A --debug trace line on stderr, with every registered secret redacted. */
  debug(line: string): void {
    if (this.globals.debug) this.io.stderr.write(`${this.redact(`[debug] ${line}`)}\n`);
  }
}
