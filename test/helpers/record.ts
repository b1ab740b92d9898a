// A recorded request for tests that write the delivery record directly: verified ones carry an
// event type and id, refused ones are answered 401; `extra` overrides any field.
import type { RecordedRequest } from '../../src/local/record.js';

export function recordedRequest(
  id: string,
  at: number,
  verdict: 'ok' | 'refused',
  extra: Partial<RecordedRequest> = {},
  bodyBytes = 0,
): RecordedRequest {
  return {
    id,
    received_at: new Date(at).toISOString(),
    method: 'POST',
    path: '/',
    headers: {},
    body_b64: Buffer.from(bodyBytes ? `{"id":"${id}","pad":"${'x'.repeat(bodyBytes)}"}` : `{"id":"${id}"}`).toString(
      'base64',
    ),
    verdict,
    status: verdict === 'ok' ? 200 : 401,
    ...(verdict === 'ok' ? { event_type: 'task.completed', event_id: `evt_${id}` } : {}),
    ...extra,
  };
}
