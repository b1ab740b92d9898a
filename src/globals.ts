// The global options of the contract: one table (flag, help, environment fallback, default, parse)
// that the command tree, the argv scanner, help and completion all read, and their validation.
// Adding a global option is one entry here; the GlobalOptions type follows from the table.
import { UsageError } from './errors.js';
import { isLoopbackHost } from './lib/loopback.js';
import { parseDurationOrBare } from './lib/duration.js';

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** One global option: how commander declares it, and how its raw value becomes a typed one. */
export interface GlobalOptionDef<K extends string = string, T = unknown> {
  /** The name commander stores the value under (checked against `flags` by a test). */
  key: K;
  /** Commander's flags: `<value>` takes a value, `--no-x` negates. */
  flags: string;
  help: string;
  /** The environment variable that stands in when the option is not given. */
  env?: string;
  /** Commander's default, shown in help as "(default: …)". */
  default?: string;
  /** A valid value, for hints and tests. */
  example?: string;
  /** The raw value (given, else the environment's, else the default) to the typed one. */
  parse: (raw: unknown) => T;
}

const option = <K extends string, T>(def: GlobalOptionDef<K, T>) => def;
const given = (raw: unknown): boolean => raw === true;
const notNegated = (raw: unknown): boolean => raw !== false;

/** In the order help lists them; one line each. */
// prettier-ignore
export const GLOBAL_OPTIONS = [
  option({ key: 'json', flags: '--json', help: 'machine output: one JSON document on stdout, errors as JSON on stderr', parse: given }),
  option({ key: 'profile', flags: '--profile <name>', help: 'credential profile (env ANCHOR_PROFILE)', env: 'ANCHOR_PROFILE', example: 'ci', parse: parseProfile }),
  // ANCHOR_API_URL is resolved with the profile's stored value in config/credentials.ts, which says where the URL came from.
  option({ key: 'apiUrl', flags: '--api-url <url>', help: 'API base URL (env ANCHOR_API_URL)', example: 'http://127.0.0.1:4010', parse: parseApiUrl }),
  option({ key: 'timeout', flags: '--timeout <duration>', help: 'per-request timeout (30s, 2m; a bare number is seconds)', default: '30', example: '10s', parse: parseTimeout }),
  option({ key: 'input', flags: '--no-input', help: 'never prompt (implied without a terminal or when CI is set)', parse: notNegated }),
  option({ key: 'color', flags: '--no-color', help: 'no colour (NO_COLOR and FORCE_COLOR are honoured too)', parse: notNegated }),
  option({ key: 'debug', flags: '--debug', help: 'trace HTTP requests on stderr, secrets redacted', parse: given }),
] as const;

type Defs = (typeof GLOBAL_OPTIONS)[number];
/** The global options of the contract, after validation. */
export type GlobalOptions = { -readonly [D in Defs as D['key']]: ReturnType<D['parse']> };
export type GlobalKey = keyof GlobalOptions;

/** The long flag of a table entry (`--api-url`), and the value it takes: none, or required. */
export const longFlagOf = (def: GlobalOptionDef): string => def.flags.split(/[ ,]/)[0]!;
export const takesValue = (def: GlobalOptionDef): boolean => /[<[]/.test(def.flags);

export function parseGlobals(raw: Record<string, unknown>, env: Record<string, string | undefined>): GlobalOptions {
  const out: Record<string, unknown> = {};
  for (const def of GLOBAL_OPTIONS as readonly GlobalOptionDef[]) {
    out[def.key] = def.parse(raw[def.key] ?? ((def.env && env[def.env]) || undefined) ?? def.default);
  }
  return out as GlobalOptions;
}

/** Every option as if none were given and the environment were empty. */
export const defaultGlobals = (): GlobalOptions => parseGlobals({}, {});

function parseProfile(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  const profile = String(raw);
  if (!PROFILE_NAME.test(profile)) {
    throw new UsageError(`invalid --profile "${profile}": use letters, digits, "-" and "_" (at most 64)`);
  }
  return profile;
}

function parseApiUrl(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  checkApiUrl(String(raw), '--api-url');
  return String(raw);
}

/** The per-request timeout, in seconds: a duration, where a bare number is seconds (as before units). */
function parseTimeout(raw: unknown): number {
  const text = String(raw);
  const ms = parseDurationOrBare(text, 's');
  if (ms === undefined || !(ms > 0) || ms > 3_600_000) {
    throw new UsageError(
      `invalid --timeout "${text}": must be a duration above 0 and at most 1h, such as 10, 10s or 1m; a bare number is seconds`,
      { hint: 'For example: --timeout 10s' },
    );
  }
  return ms / 1000;
}

/** An API base URL must be http(s) with a host and nothing after the path. */
export function checkApiUrl(value: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`invalid ${name} "${value}": not a URL`, {
      hint: 'For example: https://api.anchorbrowser.io',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`invalid ${name} "${value}": use an http:// or https:// URL`);
  }
  if (url.username || url.password) {
    throw new UsageError(`invalid ${name}: credentials in the URL are not allowed`, {
      hint: 'The API key is read from the environment or `anchor auth login`.',
    });
  }
  // Every command would refuse to send the key there: refuse it here, where it is set.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(`invalid ${name} "${value}": the API key is never sent over plain http:// to ${url.host}`, {
      hint: 'Use https://, or http:// only for a loopback address such as the emulator (http://127.0.0.1:4010).',
    });
  }
  return url;
}
