// A command's declaration in one object: its name, help, positional arguments and flags, each flag
// with the parser that types its value. program.ts builds the commander tree (help, completion)
// from these; the command parses its raw flags with the same object (parseFlags), so a flag's
// declaration and its type are one fact. Declarations import nothing heavy: `--help` loads them all.
// The builders that make flags are in flag-builders.ts.
import { UsageError } from '../errors.js';

/** The type of a flag's value, for machine readers (completion, tool schemas). */
export type ValueType = 'boolean' | 'string' | 'string[]' | 'integer' | 'number';

/** What completion offers for a flag's value or an argument. */
export type Completes = 'event-types' | 'files' | 'webhook-ids' | readonly string[];

export interface Flag<T> {
  /** As commander takes it: `--url <url>`, `-y, --yes`, `--no-verify`, `--api-key <key...>`. */
  readonly flags: string;
  readonly description: string;
  /**
   * The flag described for a model (`anchor mcp`'s tool arguments), where `description` names a
   * flag or an environment variable that the model never sees: the tool's arguments have other names.
   */
  readonly forModel?: string;
  readonly type: ValueType;
  /** The raw value commander starts from; help shows it as "(default: …)". */
  readonly rawDefault?: string;
  /** Every value given is kept (`--event a --event b`). */
  readonly repeat?: boolean;
  /** Help for a `--no-<name>` twin that sets the value to false. */
  readonly negation?: string;
  readonly completes?: Completes;
  /** A line for each value completion offers, when they are a fixed list. */
  readonly valueHelp?: Readonly<Record<string, string>>;
  readonly range?: { min?: number; max?: number };
  /** Raw commander value → typed value; throws FlagError with what is wrong. */
  readonly parse: (raw: unknown) => T;
  /**
   * Flags (by key) this one cannot be given with, each with why, said as "--a <why>; it cannot
   * be combined with --b" ("--a cannot be combined with --b" when why is empty).
   */
  readonly conflicts?: Readonly<Record<string, string>>;
  /** Flags (by key) this one needs, each with why: "--a goes with --b <value> (why)". */
  readonly requires?: Readonly<Record<string, string>>;
}

export interface ArgSpec<N extends string = string> {
  /** `[id]` (optional), `<key>` (required), `[record-id...]` (any number): its value's type follows. */
  readonly name: N;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly completes?: Completes;
}

export type Flags = Record<string, Flag<unknown>>;

export type Args = readonly ArgSpec[];

export interface CommandSpec<Id extends string = string, F extends Flags = Flags, A extends Args = Args> {
  readonly id: Id;
  readonly description: string;
  readonly alias?: string;
  readonly args?: A;
  readonly flags: F;
  readonly examples: readonly string[];
}

/** The typed values of a command's flags. */
export type FlagValues<S extends CommandSpec> = { [K in keyof S['flags']]: ReturnType<S['flags'][K]['parse']> };

/** A positional argument's value, from its name: `<x>` a string, `[x]` maybe one, `x...` a list. */
export type ArgValue<N extends string> = N extends `${string}...${string}`
  ? string[]
  : N extends `<${string}`
    ? string
    : string | undefined;

/** The typed values of a command's positional arguments, in order. */
export type ArgValues<S extends CommandSpec> =
  NonNullable<S['args']> extends infer A extends Args
    ? { -readonly [K in keyof A]: A[K] extends ArgSpec<infer N> ? ArgValue<N> : never }
    : [];

/** A positional argument; its name's literal type makes its value's type (ArgValue). */
export function arg<const N extends string>(
  name: N,
  description: string,
  more: Omit<ArgSpec, 'name' | 'description'> = {},
): ArgSpec<N> {
  return { name, description, ...more };
}

/** What the tree needs of every command, built or not: its name, alias and one-line help. */
export interface CommandHead<Id extends string> {
  readonly id: Id;
  readonly description: string;
  readonly alias?: string;
}

/** What only a command that is built needs: its arguments, flags and examples. */
export type CommandBody<F extends Flags, A extends Args = []> = Omit<
  CommandSpec<string, F, A>,
  keyof CommandHead<string>
>;

/**
 * A declaration: the head now, the body when first read. A command line builds one command in
 * full, so the other declarations' flags are never made (nor their code compiled) at start.
 */
export function command<const Id extends string, const F extends Flags, const A extends Args = []>(
  head: CommandHead<Id>,
  body: () => CommandBody<F, A>,
): CommandSpec<Id, F, A> {
  let built: CommandBody<F, A> | undefined;
  const read = () => (built ??= body());
  return {
    ...head,
    get args() {
      return read().args;
    },
    get flags() {
      return read().flags;
    },
    get examples() {
      return read().examples;
    },
  };
}

/** A bad flag value: the message says what is wrong; parseFlags adds the flag and the value. */
export class FlagError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** `--secret-file <path>` → `--secret-file`; `-y, --yes` → `--yes`; `--no-verify` → `--no-verify`. */
export function longFlag(flags: string): string {
  return /--[A-Za-z0-9-]+/.exec(flags)![0];
}

/**
 * Whether the user gave a flag, from its raw value: a switch is given when true, a `--no-x` when
 * false, and a value when it is not the default commander filled in.
 */
function isGiven(flag: Flag<unknown>, raw: unknown): boolean {
  if (raw === undefined) return false;
  if (flag.type === 'boolean' && flag.negation === undefined)
    return raw === (longFlag(flag.flags).startsWith('--no-') ? false : true);
  return flag.rawDefault === undefined || raw !== flag.rawDefault;
}

/** The first pairwise rule of `spec` (conflicts, requires) that the given flags break, as a UsageError. */
export function checkPairs(spec: CommandSpec, raw: Record<string, unknown>): void {
  const flagAt = (key: string): Flag<unknown> => {
    const flag = spec.flags[key];
    // A rule naming no flag of its command is a bug in the declaration, not the user's mistake.
    if (!flag) throw new Error(`${spec.id}: a pairwise rule names "${key}", which is not one of its flags`);
    return flag;
  };
  for (const [key, flag] of Object.entries(spec.flags)) {
    if (!isGiven(flag, raw[key])) continue;
    const name = longFlag(flag.flags);
    for (const [other, why] of Object.entries(flag.requires ?? {})) {
      const needed = flagAt(other);
      if (!isGiven(needed, raw[other]))
        throw new UsageError(`${name} goes with ${needed.flags.replace(/^-\w, /, '')}${why ? ` (${why})` : ''}`);
    }
    for (const [other, why] of Object.entries(flag.conflicts ?? {})) {
      if (!isGiven(flagAt(other), raw[other])) continue;
      const otherName = longFlag(flagAt(other).flags);
      throw new UsageError(
        why
          ? `${name} ${why}; it cannot be combined with ${otherName}`
          : `${name} cannot be combined with ${otherName}`,
      );
    }
  }
}

/** Parses every flag of `spec` from commander's raw values, in declaration order, then checks its pairwise rules. */
export function parseFlags<S extends CommandSpec>(spec: S, raw: Record<string, unknown>): FlagValues<S> {
  const out: Record<string, unknown> = {};
  for (const [key, flag] of Object.entries(spec.flags)) {
    const value = raw[key];
    try {
      out[key] = flag.parse(value);
    } catch (e) {
      if (!(e instanceof FlagError)) throw e;
      const shown =
        value === undefined || typeof value === 'boolean'
          ? ''
          : ` "${Array.isArray(value) ? value.join(',') : String(value)}"`;
      throw new UsageError(`invalid ${longFlag(flag.flags)}${shown}: ${e.message}`, { hint: e.hint });
    }
  }
  checkPairs(spec, raw);
  return out as FlagValues<S>;
}

/**
 * The positional values commander collected, typed by the declaration: a variadic last argument
 * keeps every value; a required one is there (commander refused the line otherwise).
 */
export function parseArgs<S extends CommandSpec>(spec: S, raw: readonly unknown[]): ArgValues<S> {
  const out: unknown[] = [];
  (spec.args ?? []).forEach((a, i) => {
    if (a.name.includes('...')) out.push(raw.slice(i).map(String));
    else {
      const value = raw[i];
      if (value === undefined && a.name.startsWith('<'))
        throw new UsageError(`missing required argument '${a.name.slice(1, -1)}'`);
      out.push(value === undefined ? undefined : String(value));
    }
  });
  return out as ArgValues<S>;
}
