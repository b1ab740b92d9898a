// What each `data` field of the example envelopes means, for `anchor events show`, and whether a
// path is one of them, for `events trigger --set`. Fields the docs name are described from them;
// the rest follow Anchor's other APIs (see anchor-webhooks-api.md §6).
import { suggest } from '../lib/suggest.js';

const FIELD_DOCS: Record<string, string> = {
  task_id: 'the task that ran',
  task_name: "the task's name",
  task_version_id: 'the task version that ran',
  run_id: 'this execution of the task',
  session_id: 'the browser session',
  session_dashboard_url: 'a direct link to the session in the Anchor dashboard',
  status: 'the final status',
  duration_ms: 'how long it ran, in milliseconds',
  duration_seconds: 'how long the session ran, in seconds',
  duration: 'length of the recording, in seconds',
  output: "the task's result, as the task returned it",
  artifacts: 'files the task captured (empty when none); each has name and url, and size and content_type when known',
  'artifacts[].name': 'file name',
  'artifacts[].url': 'download link',
  'artifacts[].size': 'size in bytes, when known',
  'artifacts[].content_type': 'MIME type, when known',
  recording_url:
    'a short-lived presigned link to the primary session recording (often missing on task.failed: subscribe to session.recording.ready instead)',
  error: 'what went wrong',
  'error.type':
    'the kind of failure; for task.failed one of automation_failure, invalid_credentials, timeout, agent_error, system_error',
  'error.message': 'a human-readable explanation',
  cancelled_by: 'who cancelled it: api or dashboard',
  failed_task_version_id: 'the version that failed',
  healed_task_version_id: 'the new version self-heal produced, for review or promotion',
  tags: 'the tags given to the session',
  cdp_url: 'the Chrome DevTools Protocol URL to connect to',
  usage: 'resource usage of the session',
  'usage.proxy_bytes': 'bytes sent through the proxy',
  'usage.network_bytes_total': 'all network bytes',
  'usage.ai_steps': 'AI steps taken',
  'usage.credits_used': 'credits charged',
  recording_id: 'the recording, for the Recordings API',
  is_primary: 'whether this is the primary recording of the session',
  size: 'size in bytes',
  batch_id: 'the batch',
  total_requests: 'sessions requested in the batch',
  completed_requests: 'sessions that completed',
  failed_requests: 'sessions that failed',
  request_id: 'the human-intervention request, to answer with respond-to-human-intervention',
  message: 'what the agent asks the human',
  input_type: 'what kind of answer is expected: text, confirm or fields',
  fields: 'the fields to fill in, for input_type fields',
  'fields[].name': 'field name',
  'fields[].label': 'label to show',
  'fields[].type': 'input type',
  resolved_by: 'who answered',
  identity_id: 'the identity',
  identity_name: "the identity's name",
  application_id: 'the application the identity signs in to',
  url: 'the login page',
};

export interface FieldDoc {
  name: string;
  type: string;
  description: string;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** The fields of an example `data` object, one level of nesting deep, with what they mean. */
export function describeFields(data: Record<string, unknown>): FieldDoc[] {
  const out: FieldDoc[] = [];
  for (const [key, value] of Object.entries(data)) {
    out.push({ name: key, type: typeOf(value), description: FIELD_DOCS[key] ?? '' });
    const inner = Array.isArray(value) ? value[0] : value;
    const suffix = Array.isArray(value) ? '[]' : '';
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && key !== 'output') {
      for (const [k, v] of Object.entries(inner as Record<string, unknown>)) {
        const name = `${key}${suffix}.${k}`;
        out.push({ name, type: typeOf(v), description: FIELD_DOCS[name] ?? '' });
      }
    }
  }
  return out;
}

/** Objects whose keys are the task's own: any key may be set under them. */
const FREE_FORM = new Set(['data.output']);

/** Whether a dotted path is a field of an example envelope, and if not, the closest path that is. */
export type FieldPathCheck = { ok: true } | { ok: false; closest: string | undefined };

/**
 * Checks a `--set` path against the example envelope of its type (the schema of that event):
 * `data.taskid` on task.completed is not a field, and `data.task_id` is the closest one. A path
 * that goes where the example says nothing (inside `data.output`, a list without an example
 * element, a value that is not an object) is taken as meant.
 */
export function checkFieldPath(example: unknown, path: readonly string[]): FieldPathCheck {
  let node = example;
  for (const [i, key] of path.entries()) {
    const here = path.slice(0, i);
    if (FREE_FORM.has(here.join('.'))) return { ok: true };
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(key)) return { ok: true };
      node = node[0];
      continue;
    }
    if (typeof node !== 'object' || node === null) return { ok: true };
    if (Object.prototype.hasOwnProperty.call(node, key)) {
      node = (node as Record<string, unknown>)[key];
      continue;
    }
    const [best] = suggest(key, Object.keys(node), 1);
    return { ok: false, closest: best === undefined ? undefined : [...here, best, ...path.slice(i + 1)].join('.') };
  }
  return { ok: true };
}
