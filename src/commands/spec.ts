// A command's declaration in one object: its name, help, positional arguments and flags, each flag
// with the parser that types its value. program.ts builds the commander tree (help, completion)
// from these; the command parses its raw flags with the same object (parseFlags), so a flag's
// declaration and its type are one fact. Declarations import nothing heavy: `--help` loads them all.
import { UsageError } from '../errors.js';

/** The type of a flag's value, for machine readers (completion, tool schemas). */
export type ValueType = 'boolean' | 'string' | 'string[]' | 'integer' | 'number';

/** What completion offers for a flag's value or an argument. */
export type Completes = 'event-types' | 'files' | 'webhook-ids' | readonly string[];

export interface Flag<T> {
  /** As commander takes it: `--url <url>`, `-y, --yes`, `--no-verify`, `--api-key <key...>`. */
  readonly flags: string;
  readonly description: string;
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
}

export interface ArgSpec {
  /** `[id]`, `<key>`. */
  readonly name: string;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly completes?: Completes;
}

export type Flags = Record<string, Flag<unknown>>;

export interface CommandSpec<Id extends string = string, F extends Flags = Flags> {
  readonly id: Id;
  readonly description: string;
  readonly alias?: string;
  readonly args?: readonly ArgSpec[];
  readonly flags: F;
  readonly examples: readonly string[];
}

/** Where the tree keeps each command's declaration on its commander object (see mcp/declarations.ts). */
const DECLARATION = Symbol.for('anchor.declaration');

export function attachDeclaration(cmd: object, spec: CommandSpec): void {
  Object.defineProperty(cmd, DECLARATION, { value: spec });
}

/** The typed values of a command's flags. */
export type FlagValues<S extends CommandSpec> = { [K in keyof S['flags']]: ReturnType<S['flags'][K]['parse']> };

/** What the tree needs of every command, built or not: its name, alias and one-line help. */
export interface CommandHead<Id extends string> {
  readonly id: Id;
  readonly description: string;
  readonly alias?: string;
}

/** What only a command that is built needs: its arguments, flags and examples. */
export type CommandBody<F extends Flags> = Omit<CommandSpec<string, F>, keyof CommandHead<string>>;

/**
 * A declaration: the head now, the body when first read. A command line builds one command in
 * full, so the other declarations' flags are never made (nor their code compiled) at start.
 */
export function command<const Id extends string, const F extends Flags>(
  head: CommandHead<Id>,
  body: () => CommandBody<F>,
): CommandSpec<Id, F> {
  let built: CommandBody<F> | undefined;
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

/** Parses every flag of `spec` from commander's raw values, in declaration order. */
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
  return out as FlagValues<S>;
}

const asString = (raw: unknown): string | undefined => (typeof raw === 'string' ? raw : undefined);

// The builders.

/** A switch: true when given. */
export function bool(flags: string, description: string): Flag<boolean> {
  return { flags, description, type: 'boolean', parse: (raw) => raw === true };
}

/** `--no-x`: true unless given. */
export function onUnlessNo(flags: string, description: string): Flag<boolean> {
  return { flags, description, type: 'boolean', parse: (raw) => raw !== false };
}

interface TextOptions {
  completes?: Completes;
  /** The message when the value is empty; empty is allowed without it. */
  nonEmpty?: string;
}

/** A string, undefined when not given. */
export function text(flags: string, description: string, options: TextOptions = {}): Flag<string | undefined> {
  return {
    flags,
    description,
    type: 'string',
    ...(options.completes ? { completes: options.completes } : {}),
    parse: (raw) => {
      const v = asString(raw);
      if (v === '' && options.nonEmpty) throw new FlagError(options.nonEmpty);
      return v;
    },
  };
}

/** A string with a default that help shows. */
export function textOr(flags: string, description: string, fallback: string, nonEmpty?: string): Flag<string> {
  return {
    flags,
    description,
    type: 'string',
    rawDefault: fallback,
    parse: (raw) => {
      const v = asString(raw) ?? fallback;
      if (v === '' && nonEmpty) throw new FlagError(nonEmpty);
      return v;
    },
  };
}

/** A string, or false for its `--no-` twin (`--description x` / `--no-description`). */
export function textOrOff(flags: string, description: string, negation: string): Flag<string | false | undefined> {
  return { flags, description, negation, type: 'string', parse: (raw) => (raw === false ? false : asString(raw)) };
}

/** `--event a --event b,c` → [a, b, c]: trimmed, de-duplicated, order kept. */
export function splitList(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const v of values ?? [])
    for (const part of v.split(',')) if (part.trim() && !out.includes(part.trim())) out.push(part.trim());
  return out;
}

const asList = (raw: unknown): string[] | undefined =>
  Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : undefined;

/** Repeatable and comma-separated; [] when not given. */
export function list(flags: string, description: string, completes?: Completes): Flag<string[]> {
  const unset = listOrUnset(flags, description, completes);
  return { ...unset, parse: (raw) => unset.parse(raw) ?? [] };
}

/** Repeatable and comma-separated; undefined when not given (so "not given" differs from "none"). */
export function listOrUnset(flags: string, description: string, completes?: Completes): Flag<string[] | undefined> {
  return {
    flags,
    description,
    type: 'string[]',
    repeat: true,
    ...(completes ? { completes } : {}),
    parse: (raw) => {
      const values = asList(raw);
      return values === undefined ? undefined : splitList(values);
    },
  };
}

/** Repeatable, each value kept whole (commas included); [] when not given. */
export function many(flags: string, description: string): Flag<string[]> {
  return { flags, description, type: 'string[]', repeat: true, parse: (raw) => asList(raw) ?? [] };
}

/** Repeatable and comma-separated, each item one of `values`; [] when not given. */
export function choiceList<const T extends string>(
  flags: string,
  description: string,
  values: readonly T[],
  valueHelp?: Readonly<Record<string, string>>,
): Flag<T[]> {
  return {
    flags,
    description: `${description}: ${values.join(', ')}`,
    type: 'string[]',
    repeat: true,
    completes: values,
    ...(valueHelp ? { valueHelp } : {}),
    parse: (raw) => {
      const items = splitList(asList(raw));
      const bad = items.find((v) => !(values as readonly string[]).includes(v));
      if (bad !== undefined) throw new FlagError(`"${bad}" is not one of ${values.join(', ')}`);
      return items as T[];
    },
  };
}

/** One of `values`; help lists them, completion offers them, anything else is refused. */
export function choice<const T extends string>(
  flags: string,
  description: string,
  values: readonly T[],
  valueHelp?: Readonly<Record<string, string>>,
): Flag<T | undefined> {
  return {
    flags,
    description: `${description}: ${values.slice(0, -1).join(', ')} or ${values.at(-1)}`,
    type: 'string',
    completes: values,
    ...(valueHelp ? { valueHelp } : {}),
    parse: (raw) => {
      const v = asString(raw);
      if (v === undefined) return undefined;
      if (!(values as readonly string[]).includes(v)) throw new FlagError(`must be one of ${values.join(', ')}`);
      return v as T;
    },
  };
}

interface NumberOptions {
  min: number;
  max?: number;
  /** The message when the value is no number at all (default: the range message). */
  notANumber?: string;
  /** The message when the value is a number with a fraction (default: the range message). */
  notWhole?: string;
  /** The message when the value is out of range (default: "must be … from min to max"). */
  outOfRange?: string;
}

const rangeMessage = (whole: boolean, min: number, max: number | undefined) =>
  whole
    ? max === undefined
      ? `must be a whole number, ${min} or more`
      : `must be a whole number from ${min} to ${max}`
    : max === undefined
      ? `must be at least ${min}`
      : `must be from ${min} to ${max}`;

const rangeOf = (o: NumberOptions) => ({ min: o.min, ...(o.max === undefined ? {} : { max: o.max }) });

function numberFlag(whole: boolean, o: NumberOptions) {
  const range = o.outOfRange ?? rangeMessage(whole, o.min, o.max);
  return (raw: unknown): number | undefined => {
    const v = asString(raw);
    if (v === undefined) return undefined;
    const n = v.trim() === '' ? NaN : Number(v);
    if (Number.isNaN(n)) throw new FlagError(o.notANumber ?? range);
    if (whole && !Number.isInteger(n)) throw new FlagError(o.notWhole ?? range);
    if (n < o.min || (o.max !== undefined && n > o.max)) throw new FlagError(range);
    return n;
  };
}

/** A whole number in a range; undefined when not given. */
export function int(flags: string, description: string, o: NumberOptions): Flag<number | undefined> {
  return {
    flags,
    description,
    type: 'integer',
    range: rangeOf(o),
    parse: numberFlag(true, o),
  };
}

/** A whole number in a range, with a default that help shows. */
export function intOr(flags: string, description: string, fallback: number, o: NumberOptions): Flag<number> {
  const parse = numberFlag(true, o);
  return {
    flags,
    description,
    type: 'integer',
    rawDefault: String(fallback),
    range: rangeOf(o),
    parse: (raw) => parse(raw) ?? fallback,
  };
}

/** A TCP port to serve on, 0 for a free one, with a default. */
export function portOr(flags: string, description: string, fallback: number): Flag<number> {
  return intOr(flags, description, fallback, {
    min: 0,
    max: 65535,
    notANumber: 'must be a port number',
    notWhole: 'must be a whole number',
    outOfRange: 'must be from 0 to 65535',
  });
}

/** A number (fractions allowed) in a range; undefined when not given. */
export function num(flags: string, description: string, o: NumberOptions): Flag<number | undefined> {
  return {
    flags,
    description,
    type: 'number',
    range: rangeOf(o),
    parse: numberFlag(false, o),
  };
}

/** Anything else: a string value turned into T by `convert`, which throws FlagError. */
export function custom<T>(flags: string, description: string, convert: (value: string) => T): Flag<T | undefined> {
  return {
    flags,
    description,
    type: 'string',
    parse: (raw) => {
      const v = asString(raw);
      return v === undefined ? undefined : convert(v);
    },
  };
}

/** As custom, with a default (as typed) that help shows. */
export function customOr<T>(
  flags: string,
  description: string,
  convert: (value: string) => T,
  rawDefault: string,
): Flag<T> {
  return { flags, description, type: 'string', rawDefault, parse: (raw) => convert(asString(raw) ?? rawDefault) };
}

/** The secret-reading flag shared by verify, sign, listen and trigger. */
export const readSecretFileFlag = () =>
  text('--secret-file <path>', 'read the webhook secret from this file (- for stdin); or set ANCHOR_WEBHOOK_SECRET', {
    completes: 'files',
  });
