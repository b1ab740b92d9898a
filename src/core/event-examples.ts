// Realistic `data` and the one-line `text` for each event type, and the delivery envelope.
// Field names follow the docs where they name them (artifacts, recording_url,
// session_dashboard_url, healed_task_version_id, error.type) and Anchor's other APIs elsewhere.
import { createHash, randomBytes } from 'node:crypto';

export interface Envelope {
  id: string;
  type: string;
  created: string;
  project_id: string;
  text: string;
  data: Record<string, unknown>;
}

export interface ExampleSource {
  now: Date;
  /** An id with the given prefix; random by default. */
  id?: (prefix: string) => string;
}

const randomId = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`;
const DASHBOARD = 'https://app.anchorbrowser.io/sessions';

export function exampleData(type: string, source: ExampleSource): Record<string, unknown> {
  const id = source.id ?? randomId;
  const sessionId = id('ses_');
  const session = {
    session_id: sessionId,
    session_dashboard_url: `${DASHBOARD}/${sessionId}`,
  };
  const signature = createHash('sha256').update(sessionId).digest('hex').slice(0, 16);
  const recordingUrl = `https://recordings.anchorbrowser.io/${sessionId}/primary.mp4?X-Amz-Expires=3600&X-Amz-Signature=${signature}`;
  const task = () => ({
    task_id: id('tsk_'),
    task_name: 'checkout-flow',
    task_version_id: id('tv_'),
    run_id: id('run_'),
    ...session,
  });
  switch (type) {
    case 'task.completed':
      return {
        ...task(),
        status: 'completed',
        duration_ms: 4200,
        output: { order_id: 'A-10442', total: '49.90 EUR' },
        artifacts: [
          {
            name: 'receipt.pdf',
            url: `https://artifacts.anchorbrowser.io/${sessionId}/receipt.pdf`,
            size: 48213,
            content_type: 'application/pdf',
          },
          {
            name: 'page.png',
            url: `https://artifacts.anchorbrowser.io/${sessionId}/page.png`,
            size: 182044,
            content_type: 'image/png',
          },
        ],
        recording_url: recordingUrl,
      };
    case 'task.failed':
      return {
        ...task(),
        status: 'failed',
        duration_ms: 30011,
        artifacts: [],
        error: { type: 'automation_failure', message: 'Element "#checkout-button" not found after 30s' },
      };
    case 'task.cancelled':
      return {
        ...task(),
        status: 'cancelled',
        duration_ms: 1870,
        artifacts: [],
        recording_url: recordingUrl,
        cancelled_by: 'api',
      };
    case 'task.healed':
      return {
        task_id: id('tsk_'),
        failed_task_version_id: id('tv_'),
        healed_task_version_id: id('tv_'),
        run_id: id('run_'),
      };
    case 'session.ready':
      return { ...session, tags: ['checkout'], cdp_url: `wss://connect.anchorbrowser.io?sessionId=${sessionId}` };
    case 'session.completed':
      return {
        ...session,
        tags: ['checkout'],
        duration_seconds: 93,
        usage: { proxy_bytes: 5242880, network_bytes_total: 18874368, ai_steps: 12, credits_used: 0.42 },
      };
    case 'session.failed':
      return {
        ...session,
        tags: ['checkout'],
        duration_seconds: 12,
        usage: { proxy_bytes: 0, network_bytes_total: 1048576, ai_steps: 2, credits_used: 0.03 },
        error: { type: 'browser_crash', message: 'The browser process exited unexpectedly' },
      };
    case 'session.recording.ready':
      return { session_id: sessionId, recording_id: id('rec_'), is_primary: true, duration: 93, size: 7340032 };
    case 'batch.completed':
      return {
        batch_id: id('bat_'),
        status: 'completed',
        total_requests: 20,
        completed_requests: 20,
        failed_requests: 0,
      };
    case 'batch.failed':
      return {
        batch_id: id('bat_'),
        status: 'failed',
        total_requests: 20,
        completed_requests: 14,
        failed_requests: 6,
        error: { type: 'too_many_failures', message: '6 of 20 sessions failed' },
      };
    case 'intervention.requested':
      return {
        session_id: sessionId,
        request_id: id('hir_'),
        message: 'Please enter the one-time code sent to the account phone',
        input_type: 'fields',
        fields: [{ name: 'otp', label: 'One-time code', type: 'text' }],
        tags: ['checkout'],
      };
    case 'intervention.resolved':
      return { session_id: sessionId, request_id: id('hir_'), resolved_by: 'user' };
    case 'identity.authenticated':
      return {
        identity_id: id('idn_'),
        identity_name: 'ops@acme.example',
        application_id: id('app_'),
        url: 'https://portal.example.com/login',
        session_id: sessionId,
      };
    case 'identity.authentication_failed':
      return {
        identity_id: id('idn_'),
        identity_name: 'ops@acme.example',
        application_id: id('app_'),
        url: 'https://portal.example.com/login',
        session_id: sessionId,
        error: { type: 'invalid_credentials', message: 'The portal rejected the stored password' },
      };
    default:
      return {};
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '?');
const secs = (ms: unknown) => (typeof ms === 'number' ? `${(ms / 1000).toFixed(1)}s` : '?');

/** The one-line summary in the envelope's `text` (Slack-friendly). */
export function eventText(type: string, data: Record<string, unknown>): string {
  const err = (data.error ?? {}) as Record<string, unknown>;
  switch (type) {
    case 'task.completed':
      return `✅ Task \`${str(data.task_id)}\` completed in ${secs(data.duration_ms)}`;
    case 'task.failed':
      return `❌ Task \`${str(data.task_id)}\` failed: ${str(err.type)}`;
    case 'task.cancelled':
      return `⏹️ Task \`${str(data.task_id)}\` was cancelled`;
    case 'task.healed':
      return `🩹 Task \`${str(data.task_id)}\` healed: new version \`${str(data.healed_task_version_id)}\``;
    case 'session.ready':
      return `🟢 Session \`${str(data.session_id)}\` is ready`;
    case 'session.completed':
      return `✅ Session \`${str(data.session_id)}\` completed in ${String(data.duration_seconds ?? '?')}s`;
    case 'session.failed':
      return `❌ Session \`${str(data.session_id)}\` failed: ${str(err.type)}`;
    case 'session.recording.ready':
      return `🎬 Recording for session \`${str(data.session_id)}\` is ready`;
    case 'batch.completed':
      return `✅ Batch \`${str(data.batch_id)}\` completed (${String(data.completed_requests ?? '?')}/${String(data.total_requests ?? '?')})`;
    case 'batch.failed':
      return `❌ Batch \`${str(data.batch_id)}\` failed (${String(data.failed_requests ?? '?')} of ${String(data.total_requests ?? '?')} failed)`;
    case 'intervention.requested':
      return `🙋 Session \`${str(data.session_id)}\` needs a human: ${str(data.message)}`;
    case 'intervention.resolved':
      return `👍 Intervention \`${str(data.request_id)}\` resolved`;
    case 'identity.authenticated':
      return `🔑 Identity \`${str(data.identity_name)}\` signed in`;
    case 'identity.authentication_failed':
      return `🔒 Identity \`${str(data.identity_name)}\` failed to sign in: ${str(err.type)}`;
    default:
      return `Event ${type}`;
  }
}

export function newEventId(): string {
  return `evt_${randomBytes(12).toString('hex')}`;
}

export function buildEnvelope(opts: {
  type: string;
  projectId: string;
  now: Date;
  id?: string;
  data?: Record<string, unknown>;
}): Envelope {
  const data = opts.data ?? exampleData(opts.type, { now: opts.now });
  return {
    id: opts.id ?? newEventId(),
    type: opts.type,
    created: opts.now.toISOString(),
    project_id: opts.projectId,
    text: eventText(opts.type, data),
    data,
  };
}
