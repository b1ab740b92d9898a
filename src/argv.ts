// The one argv scanner: which words are options, which options take the next word as their value,
// where the command words are, and what `--` does, read the way commander parses them. bin/'s help
// fast path, main(), the command tree, help and completion all ask it instead of scanning argv.
import { GLOBAL_OPTIONS, longFlagOf, takesValue, type GlobalOptionDef } from './globals.js';

/** What an option does with the word after it, as commander decides. */
export type ValueRule = 'none' | 'required' | 'optional';

export type Token =
  /** A command word or a positional argument. */
  | { kind: 'word'; text: string }
  /** `--flag`, `--flag value` or `--flag=value`; an unknown flag takes no value. */
  | { kind: 'option'; flag: string; value: string | undefined }
  /** `--`: everything after it is an argument, never an option or a command word. */
  | { kind: 'end'; rest: string[] };

const HELP_FLAGS = new Set(['-h', '--help']);
// Looked up in the table each time (seven entries): what the table says is what the scanner knows.
const globalDef = (flag: string): GlobalOptionDef | undefined =>
  (GLOBAL_OPTIONS as readonly GlobalOptionDef[]).find((d) => longFlagOf(d) === flag);

/** The global options' rules: what the scanner knows without the command tree. */
export function globalRule(flag: string): ValueRule | undefined {
  const def = globalDef(flag);
  if (def) return takesValue(def) ? 'required' : 'none';
  return HELP_FLAGS.has(flag) || flag === '-v' || flag === '--version' ? 'none' : undefined;
}

// As commander: "-" alone is an argument (stdin), and a negative number after an optional value.
const looksLikeOption = (word: string): boolean => word.length > 1 && word.startsWith('-');
const negativeNumber = (word: string): boolean => /^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/.test(word);

/**
 * The tokens of an argv. `ruleOf` is asked when an option is reached, so a caller that walks the
 * command tree can answer for the command its words have reached so far; undefined: unknown.
 */
export function* scanArgv(
  argv: readonly string[],
  ruleOf: (flag: string) => ValueRule | undefined = globalRule,
): Generator<Token, void, undefined> {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      yield { kind: 'end', rest: argv.slice(i + 1) };
      return;
    }
    if (!looksLikeOption(word)) {
      yield { kind: 'word', text: word };
      continue;
    }
    const rule = ruleOf(word);
    if (rule === 'required') {
      yield { kind: 'option', flag: word, value: argv[++i] };
      continue;
    }
    if (rule === 'optional') {
      const next = argv[i + 1];
      const value = next !== undefined && (!looksLikeOption(next) || negativeNumber(next)) ? argv[++i] : undefined;
      yield { kind: 'option', flag: word, value };
      continue;
    }
    const eq = word.indexOf('=');
    // `--flag=value` only for a flag that takes a value; `--json=1` is an unknown option, as commander says.
    if (rule === undefined && word.startsWith('--') && eq > 2) {
      const flag = word.slice(0, eq);
      const inline = ruleOf(flag);
      if (inline === 'required' || inline === 'optional') {
        yield { kind: 'option', flag, value: word.slice(eq + 1) };
        continue;
      }
    }
    yield { kind: 'option', flag: word, value: undefined };
  }
}

/** The nth word that is not an option or a global option's value (`webhooks` in `--profile ci webhooks`). */
export function commandWord(argv: readonly string[], nth = 0): string | undefined {
  let seen = 0;
  for (const t of scanArgv(argv)) if (t.kind === 'word' && seen++ === nth) return t.text;
  return undefined;
}

/** Whether a help flag is given (not as an option's value, not after `--`). */
export function asksForHelp(argv: readonly string[]): boolean {
  for (const t of scanArgv(argv)) if (t.kind === 'option' && HELP_FLAGS.has(t.flag)) return true;
  return false;
}

/**
 * A help request that needs no command's own options: words, help flags and global options only.
 * Commander shows help for it before any action could run, so the help fast path may answer it.
 */
export function isPlainHelp(argv: readonly string[]): boolean {
  if (argv.length === 0) return true;
  let help = false;
  for (const t of scanArgv(argv)) {
    if (t.kind === 'end') return false;
    if (t.kind !== 'option') continue;
    if (HELP_FLAGS.has(t.flag)) help = true;
    else if (!globalDef(t.flag)) return false;
  }
  return help;
}

/**
 * The global options an argv gives, by key, before commander has parsed it (the last value wins, as
 * in commander): so that even a parse error is rendered as JSON, without colour, with --debug.
 */
export function givenGlobals(argv: readonly string[]): Map<string, string | boolean> {
  const found = new Map<string, string | boolean>();
  for (const t of scanArgv(argv)) {
    const def = t.kind === 'option' ? globalDef(t.flag) : undefined;
    if (!def || t.kind !== 'option') continue;
    found.set(def.key, takesValue(def) ? (t.value ?? '') : !def.flags.startsWith('--no-'));
  }
  return found;
}
