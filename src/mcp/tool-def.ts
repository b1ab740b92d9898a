// What a tool of `anchor mcp` is: the command it calls and, for each of its arguments, a schema
// made from that command's declaration (the same Flag objects that make its --help, its parsing and
// its completion) and where the value goes: a flag's raw value or a positional word. A value is
// always data, never an option: it is handed to the command as the value of its flag or word.
import { z } from 'zod';
import type { Flag, Flags, ValueType } from '../commands/spec.js';
import { specById } from '../commands/tree-lookup.js';
import type { CommandId, SpecOf } from '../commands/tree.js';
import { MODEL_TEXT } from './model-text.js';
import { OUTPUT_SCHEMAS } from './output-schemas.js';
import { choiceOf, eventTypeOf, listOf, strictInput } from './input-schemas.js';
import type { ToolArgs, ToolContext } from './tool-input.js';

/** What a tool call runs its command with: raw flag values by key, and positional words. */
export interface CommandRequest {
  flags: Record<string, unknown>;
  words: string[];
}

export interface ToolArg {
  readonly schema: z.ZodType;
  /** The command-line flags it stands for (`--event`), so a message naming them names it instead. */
  readonly flags?: readonly string[];
  /** Puts the argument's value (given, not null unless the schema allows it) into the request. */
  readonly put: (value: unknown, into: CommandRequest) => void;
}

/** Where a tool's secret goes: a new file in the server's secret folder, named for its kind. */
export interface RequestContext {
  secretFile: (kind: string) => string;
}

export interface ToolSpec {
  name: string;
  title: string;
  description: string;
  command: CommandId;
  args: Record<string, ToolArg>;
  readOnly: boolean;
  destructive?: boolean;
  /** Flags every call gives (`--yes`, `--payload -`, a new secret file). */
  fixed?: (c: RequestContext) => Record<string, unknown>;
  /** A refusal said before anything runs (a destructive tool without confirm). */
  refuse?: (args: ToolArgs) => string | undefined;
  /** Checks (and may resolve) the arguments before the request; a string is an error to return. */
  prepare?: (args: ToolArgs, ctx: ToolContext) => ToolArgs | string | Promise<ToolArgs | string>;
  /** Text on stdin (verify_signature's payload). */
  stdin?: (args: ToolArgs) => string | undefined;
  /** A short text an agent can read, from the command's JSON. */
  summary: (out: unknown, args: ToolArgs) => string;
  /**
   * The result's shape (a zod object), registered as the tool's outputSchema; without it, the one
   * OUTPUT_SCHEMAS (output-schemas.ts) has for the tool's name.
   */
  output?: z.ZodType;
  /** The structured content from the command's JSON, where it differs from it (a page of a list). */
  result?: (out: unknown, args: ToolArgs) => Record<string, unknown>;
  /** False for a tool that touches nothing outside this machine's files (openWorldHint). */
  openWorld?: boolean;
  /** A failed check is the answer, not an error (an invalid signature, a receiver's wrong answers). */
  graded?: boolean;
  /** The tool's own words for a failure that came with data (a wait that ran out); undefined: the command's. */
  failed?: (failure: unknown, out: unknown, args: ToolArgs) => string | undefined;
  /** Work after a success on this machine (delete_webhook's secret files); its sentence joins the text. */
  after?: (
    out: unknown,
    args: ToolArgs,
    server: { secretDir: string },
  ) => { note: string; add?: Record<string, unknown> };
}

export interface ToolDef extends ToolSpec {
  /** The SDK's input shape: each argument's schema. */
  input: Record<string, z.ZodType>;
  /** The input as one strict object: an argument the tool does not know is refused, by name. */
  inputSchema: z.ZodType<ToolArgs>;
  /** The command's flags and words for these arguments; a string is an error to return. */
  request: (args: ToolArgs, c: RequestContext) => CommandRequest | string;
}

export function tool(spec: ToolSpec): ToolDef {
  const input: Record<string, z.ZodType> = {};
  for (const [name, arg] of Object.entries(spec.args)) input[name] = arg.schema;
  return {
    ...spec,
    input,
    inputSchema: strictInput(spec.name, input),
    output: spec.output ?? OUTPUT_SCHEMAS[spec.name],
    request: (args, c) => {
      const refusal = spec.refuse?.(args);
      if (refusal !== undefined) return refusal;
      const into: CommandRequest = { flags: { ...spec.fixed?.(c) }, words: [] };
      for (const [name, arg] of Object.entries(spec.args)) if (args[name] !== undefined) arg.put(args[name], into);
      return into;
    },
  };
}

/** A zod type for a flag's value, described for a model (checks stay the command's). */
export function fromFlag(flag: Flag<unknown>, description: string, type: ValueType = flag.type): z.ZodType {
  const events = flag.completes === 'event-types' ? ' (see list_event_types)' : '';
  const text = `${description.replace(/\.$/, '')}${events}.`;
  // A range is in the flag's own unit: none for an argument given in another (seconds for a duration).
  const { min, max } = type === flag.type ? (flag.range ?? {}) : {};
  switch (type) {
    case 'boolean':
      return z.boolean().describe(text);
    case 'string[]':
      return listOf(flag.completes === 'event-types' ? eventTypeOf() : z.string()).describe(text);
    case 'integer':
    case 'number': {
      let n = type === 'integer' ? z.int() : z.number();
      if (min !== undefined) n = n.min(min);
      if (max !== undefined) n = n.max(max);
      return n.describe(text);
    }
    default: {
      const value =
        typeof flag.completes === 'object'
          ? choiceOf(flag.completes)
          : flag.completes === 'event-types'
            ? eventTypeOf()
            : z.string();
      // A flag with a `--no-` twin takes null for it (`description: null` clears it).
      return (flag.negation === undefined ? value : z.union([value, z.null()])).describe(text);
    }
  }
}

/** A flag's raw value as commander would hold it: strings, a list for a repeatable flag, booleans. */
function rawValue(flag: Flag<unknown>, value: unknown): unknown {
  if (value === null) return flag.negation === undefined ? undefined : false;
  // A switch not given is not false: false would read as its `--no-` twin.
  if (value === false) return undefined;
  if (value === true) return true;
  if (Array.isArray(value)) return value.map(String);
  return flag.repeat ? [String(value)] : String(value);
}

interface FlagArgOptions {
  /** The tool cannot be called without it. */
  required?: boolean;
  /** The argument's type where it differs from the flag's (a duration given in seconds). */
  type?: ValueType;
}

/**
 * The tool arguments that a command's flags make, by flag key: `create('url', { required: true })`.
 * Described by the flag's `forModel`, else MODEL_TEXT, else its help.
 */
export function flagsOf<Id extends CommandId>(id: Id) {
  const flags: Flags = specById(id).flags;
  const modelText: Readonly<Record<string, string | undefined>> = MODEL_TEXT[id] ?? {};
  return (key: keyof SpecOf<Id>['flags'] & string, o: FlagArgOptions = {}): ToolArg => {
    const flag = flags[key];
    if (!flag) throw new Error(`${id} declares no flag ${key}`);
    const schema = fromFlag(flag, flag.forModel ?? modelText[key] ?? flag.description, o.type);
    return {
      schema: o.required ? schema : schema.optional(),
      flags: longFlags(flag),
      put: (value, into) => {
        const raw = rawValue(flag, value);
        if (raw !== undefined) into.flags[key] = raw;
      },
    };
  };
}

/** A flag's long names, its `--no-` twin's too: `--description`, `--no-description`. */
export function longFlags(flag: Flag<unknown>): string[] {
  const long = /--[a-z][a-z0-9-]*/.exec(flag.flags)?.[0];
  if (!long) return [];
  return flag.negation === undefined ? [long] : [long, `--no-${long.slice(2)}`];
}

/** A positional argument: its value, checked by `check` (which may refuse it), is a word. */
export function word(schema: z.ZodType, check: (value: unknown) => string = String): ToolArg {
  return { schema, put: (value, into) => into.words.push(check(value)) };
}

/** Positional values, in order (replay's record ids). */
export function words(schema: z.ZodType): ToolArg {
  return {
    schema,
    put: (value, into) => into.words.push(...(Array.isArray(value) ? value.map(String) : [String(value)])),
  };
}
