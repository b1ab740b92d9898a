// The builders that make the flags of every declaration (spec.ts says what a flag is): switches,
// text, lists, choices and numbers. URLs, ports, durations and times are in value-flags.ts.
import { FlagError, type Completes, type Flag } from './spec.js';

export const asString = (raw: unknown): string | undefined => (typeof raw === 'string' ? raw : undefined);

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
