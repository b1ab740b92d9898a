// What `events trigger` sends: the scenario's envelopes, the type's example, or your payload (as
// given, or as an envelope when --set or --chaos must change it), with --set applied, and a
// warning for what Anchor would never send or a --set path that looks like a typo of a field.
import { randomUUID } from 'node:crypto';
import type { Context } from '../../../context.js';
import { UsageError } from '../../../errors.js';
import { buildEnvelope, type Envelope } from '../../../core/event-examples.js';
import { scenario as findScenario } from '../../../core/scenarios.js';
import { buildScenario } from '../../../core/scenario-envelopes.js';
import { checkFieldPath } from '../../../core/event-fields.js';
import { parseAssignment, setPath, type Assignment } from '../../../local/set-path.js';
import { escapeControl } from '../../../ui/format.js';

/** Envelopes to sign and send, or (a payload of your own, untouched) its bytes. */
export type ToSend = { envelopes: Envelope[]; raw?: undefined } | { envelopes?: undefined; raw: Buffer };

export interface BodyOptions {
  type: string | undefined;
  scenario: string | undefined;
  /** --set's assignments (parseSets), each with the flag as typed. */
  assignments: ReadonlyArray<{ raw: string; a: Assignment }>;
  chaos: readonly string[];
  /** The --payload read, if given. */
  given: Buffer | undefined;
  now: Date;
}

/** --set's assignments, each refused with what is wrong before anything is read or sent. */
export function parseSets(set: readonly string[]): Array<{ raw: string; a: Assignment }> {
  return set.map((raw) => {
    const a = parseAssignment(raw);
    if (typeof a === 'string') throw new UsageError(`invalid --set "${raw}": ${a}`);
    return { raw, a };
  });
}

export function bodyToSend(ctx: Context, o: BodyOptions): ToSend {
  const { assignments } = o;
  const projectId = randomUUID();
  let envelopes: Envelope[] | undefined;
  let raw: Buffer | undefined;
  if (o.scenario !== undefined) envelopes = buildScenario(findScenario(o.scenario)!, { now: o.now, projectId });
  else if (!o.given) envelopes = [buildEnvelope({ type: o.type!, projectId, now: o.now })];
  else if (assignments.length || o.chaos.length) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(o.given.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new UsageError(
        `${assignments.length ? '--set' : '--chaos'} needs a JSON object body, and the payload is not one`,
        { hint: 'Without --payload the example envelope of the type is sent.' },
      );
    envelopes = [parsed as Envelope];
  } else raw = o.given;
  if (envelopes) warnAboutPaths(ctx, o.type !== undefined ? [o.type] : envelopes.map((e) => e.type), o);
  for (const env of envelopes ?? [])
    for (const { raw: flag, a } of assignments) {
      const problem = setPath(env as unknown as Record<string, unknown>, a);
      if (problem) throw new UsageError(`invalid --set "${flag}": ${problem}`);
    }
  if (o.given) warnAboutPayload(ctx, envelopes ? Buffer.from(JSON.stringify(envelopes[0])) : o.given, o.type!);
  else if (o.type !== undefined && envelopes![0]!.type !== o.type)
    ctx.err(
      `Warning: --set changed "type" to ${JSON.stringify(envelopes![0]!.type)}; it is sent as ${o.type} (Anchor-Event).\n`,
    );
  return envelopes ? { envelopes } : { raw: raw! };
}

/**
 * A --set path that is no field of the events' schema (their example envelopes) but close to one
 * is likely a typo: said on stderr with the field meant, and sent as typed (a new field may be
 * what the test wants). A path a type of the scenario has, or with nothing close, is left alone.
 */
function warnAboutPaths(ctx: Context, types: readonly string[], o: BodyOptions): void {
  const examples = [...new Set(types)].map((type) => ({
    type,
    example: buildEnvelope({ type, projectId: 'prj_schema', now: o.now }),
  }));
  for (const { raw, a } of o.assignments) {
    const checks = examples.map((e) => ({ type: e.type, check: checkFieldPath(e.example, a.path) }));
    if (checks.some((c) => c.check.ok)) continue;
    const guess = checks.find((c) => !c.check.ok && c.check.closest !== undefined);
    if (!guess || guess.check.ok) continue;
    const path = escapeControl(a.path.join('.'));
    const missing =
      examples.length === 1 ? `${guess.type} has no field ${path}` : `no event of the scenario has a field ${path}`;
    ctx.err(
      `Warning: --set ${escapeControl(raw)}: ${missing}; did you mean ${escapeControl(guess.check.closest!)}? It is sent as typed.\n`,
    );
  }
}

/** A payload of your own is sent as given; what Anchor would never send is pointed out. */
function warnAboutPayload(ctx: Context, payload: Buffer, type: string): void {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    ctx.err(`Warning: the payload is not JSON; Anchor always sends a JSON envelope. It is sent as given.\n`);
    return;
  }
  const given =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as { type?: unknown }).type
      : undefined;
  if (given !== type) {
    ctx.err(
      `Warning: the payload's "type" is ${given === undefined ? 'missing' : JSON.stringify(given)}, but it is sent as ${type} (Anchor-Event: ${type}). It is sent as given.\n`,
    );
  }
}
