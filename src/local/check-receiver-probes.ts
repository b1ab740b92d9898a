// When a receiver refused every correctly signed delivery, two more tell a wrong secret from a
// signature checked over re-serialised JSON: the same kind of delivery with its JSON written as
// the common re-serialisers write it. A receiver that re-serialises accepts the one whose bytes
// its parser and encoder give back unchanged; a receiver that holds another secret refuses them all.
import { randomUUID } from 'node:crypto';
import type { Envelope } from '../core/event-examples.js';
import { deliveryHeaders } from '../core/signature.js';
import { isRefusal } from './check-receiver-causes.js';
import { deliver, is2xx } from './deliver.js';

/** A way of writing JSON again, as a receiver's parser-then-encoder does. */
interface ReserialisedForm {
  /** How people know it, for the fix ("Python's json.dumps"). */
  name: string;
  write: (value: unknown) => string;
}

/** A string as Python's json.dumps writes it by default (ensure_ascii: all but printable ASCII escaped). */
function pythonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** `json.dumps(value)` with Python's defaults: ", " and ": " between items, \u escapes. */
export function pythonDumps(value: unknown): string {
  if (typeof value === 'string') return pythonString(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${pythonString(k)}: ${pythonDumps(v)}`)
    .join(', ')}}`;
}

/** Compact JSON with every object's keys sorted (Go's encoding of a map, `sort_keys=True`, jq -S -c). */
export function sortedCompact(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(sortedCompact).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${sortedCompact((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

export const RESERIALISED_FORMS: readonly ReserialisedForm[] = [
  { name: "Python's json.dumps with its defaults", write: pythonDumps },
  { name: 'compact JSON with sorted keys', write: sortedCompact },
];

/** What the extra deliveries showed. */
export interface ProbeOutcome {
  /** The form the receiver accepted, when one was: it verifies re-serialised JSON. */
  accepted?: string;
  /** The forms sent and refused. */
  refused: string[];
  /** A probe got no answer, or a crash: the probes prove nothing. */
  inconclusive?: boolean;
}

export interface ProbeOptions {
  url: URL;
  secret: string;
  envelope: Envelope;
  now: () => Date;
  env: Record<string, string | undefined>;
}

/** Sends the envelope, correctly signed, in each re-serialised form until one is accepted. */
export async function probeReserialised(o: ProbeOptions): Promise<ProbeOutcome> {
  const refused: string[] = [];
  for (const form of RESERIALISED_FORMS) {
    const body = Buffer.from(form.write(o.envelope));
    const headers = deliveryHeaders({
      secrets: [o.secret],
      timestamp: Math.floor(o.now().getTime() / 1000),
      body,
      eventType: o.envelope.type,
      deliveryId: randomUUID(),
    });
    // A probe that gets no answer (or a crash) says nothing either way: the checks' results stand.
    const status = await deliver(o.url, headers, body, o.env).then(
      (a) => a.status,
      () => 0,
    );
    if (is2xx(status)) return { accepted: form.name, refused };
    if (!isRefusal(status)) return { refused, inconclusive: true };
    refused.push(form.name);
  }
  return { refused };
}
