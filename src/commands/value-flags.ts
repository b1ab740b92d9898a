// Flags whose values are URLs, ports, durations and points in time: one parser and one message
// style for each kind, so `--to` on replay and `--forward-to` on listen refuse the same mistake in
// the same words, and every duration flag takes units (`90s`, `5m`) as well as its bare number.
import { formatDuration, parseDuration, parseDurationOrBare, type BareUnit } from '../lib/duration.js';
import { APP_URL_EXAMPLE, parseHttpUrl, splitForwardValue, type ForwardRoute } from '../lib/http-url.js';
import { UsageError } from '../errors.js';
import { parsePointInTime, type PointInTime } from '../lib/time.js';
import { asString, custom } from './flag-builders.js';
import { FlagError, longFlag, type Flag } from './spec.js';

/** An http(s) URL of your app (replay --to, listen and trigger --forward-to); undefined when not given. */
export function httpUrl(flags: string, description: string): Flag<URL | undefined> {
  const hint = `For example: ${longFlag(flags)} ${APP_URL_EXAMPLE}`;
  return custom(flags, description, (v) => {
    const url = parseHttpUrl(v);
    if (typeof url === 'string') throw new FlagError(`${url}; give an http:// or https:// URL`, hint);
    return url;
  });
}

const ROUTE_HINT = `For example: --forward-to ${APP_URL_EXAMPLE}, or by type: --forward-to 'task.*=http://localhost:3000/tasks' (repeat it; one value without a pattern is the default)`;

/** One `--forward-to` value: a route when what precedes its first `=` is a type pattern, else a URL. */
export function parseForwardValue(value: string): ForwardRoute {
  const { pattern, url } = splitForwardValue(value);
  const parsed = parseHttpUrl(url);
  if (typeof parsed === 'string')
    // Named by its own value: the flag repeats, and the message says which one is wrong.
    throw new UsageError(
      `invalid --forward-to "${value}": ${pattern !== undefined ? `the URL of route ${pattern} is ` : ''}${parsed}; give an http:// or https:// URL`,
      { hint: ROUTE_HINT },
    );
  return { ...(pattern !== undefined ? { pattern } : {}), url: parsed };
}

/** listen's repeatable --forward-to: routes by type and a default, in the order given; [] when not given. */
export function forwardRoutes(flags: string, description: string): Flag<ForwardRoute[]> {
  return {
    flags,
    description,
    type: 'string[]',
    repeat: true,
    parse: (raw) =>
      (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).map((v) => parseForwardValue(String(v))),
  };
}

function parsePort(v: string, name: string): number {
  const hint = `For example: ${name} 8080, or ${name} 0 for a free port`;
  const n = v.trim() === '' ? NaN : Number(v);
  if (Number.isNaN(n)) throw new FlagError('must be a port number, from 0 to 65535', hint);
  if (!Number.isInteger(n)) throw new FlagError('must be a whole number from 0 to 65535', hint);
  if (n < 0 || n > 65535) throw new FlagError('must be from 0 to 65535', hint);
  return n;
}

/** A TCP port to serve on, 0 for a free one, with a default that help shows. */
export function port(flags: string, description: string, fallback: number): Flag<number> {
  return {
    flags,
    description,
    type: 'integer',
    rawDefault: String(fallback),
    range: { min: 0, max: 65535 },
    parse: (raw) => parsePort(asString(raw) ?? String(fallback), longFlag(flags)),
  };
}

/** `--inspect [port]`: undefined when not given, `whenBare` when given without a port. */
export function optionalPort(flags: string, description: string, whenBare: number): Flag<number | undefined> {
  return {
    flags,
    description,
    type: 'integer',
    range: { min: 0, max: 65535 },
    parse: (raw) => (raw === undefined ? undefined : raw === true ? whenBare : parsePort(String(raw), longFlag(flags))),
  };
}

interface DurationOptions {
  /** The unit of a bare number, as the flag took it before units; none: a unit is required. */
  bare?: BareUnit;
  /** The least, in ms (inclusive); without it, anything above 0. */
  min?: number;
  /** The most, in ms. */
  max: number;
  /** Values to show in the message: "90s or 5m". */
  examples: string;
  /** Refuse fractions of a second (the value is used as whole seconds). */
  wholeSeconds?: boolean;
  /** Why the range is what it is, said after it: "the log keeps 7 days". */
  why?: string;
}

function durationParser(o: DurationOptions): (v: string) => number {
  const range =
    o.min === undefined
      ? `above 0 and at most ${formatDuration(o.max)}`
      : `from ${formatDuration(o.min)} to ${formatDuration(o.max)}`;
  const bare = o.bare === undefined ? '' : `; a bare number is ${o.bare === 's' ? 'seconds' : 'milliseconds'}`;
  const message = `must be a duration ${range}${o.why ? ` (${o.why})` : ''}, such as ${o.examples}${bare}`;
  return (v) => {
    // Without a bare unit, `90` is refused rather than read in a unit the user did not mean.
    const ms = o.bare === undefined ? parseDuration(v) : parseDurationOrBare(v, o.bare);
    if (ms === undefined) throw new FlagError(message);
    if (o.min === undefined ? !(ms > 0) : ms < o.min) throw new FlagError(message);
    if (ms > o.max) throw new FlagError(message);
    if (o.wholeSeconds && ms % 1000 !== 0) throw new FlagError(`must be whole seconds, such as ${o.examples}`);
    return ms;
  };
}

/** A duration in milliseconds (`90s`, `5m`, `1h`, or a bare number in `o.bare`); undefined when not given. */
export function duration(flags: string, description: string, o: DurationOptions): Flag<number | undefined> {
  return custom(flags, description, durationParser(o));
}

/** As duration, with a default (as typed) that help shows. */
export function durationOr(flags: string, description: string, rawDefault: string, o: DurationOptions): Flag<number> {
  const parse = durationParser(o);
  return { flags, description, type: 'string', rawDefault, parse: (raw) => parse(asString(raw) ?? rawDefault) };
}

/** A point in time: a duration back from now (`30m`, `2d`) or an ISO time; undefined when not given. */
export function since(flags: string, description: string): Flag<PointInTime | undefined> {
  return custom(flags, description, (v) => {
    const t = parsePointInTime(v);
    if (!t)
      throw new FlagError(
        'must be a duration back from now (30m, 2h, 1d) or an ISO time (2026-05-24T12:00:00Z)',
        `For example: ${longFlag(flags)} 2h`,
      );
    return t;
  });
}
