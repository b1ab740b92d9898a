// The emulator over real HTTP on loopback: the 8 operations, their rules, and real signed
// deliveries. Every /v1 response is validated against the OpenAPI document.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { apiClient, until } from '../helpers/api.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { verifyDelivery } from '../helpers/verifier.js';
import { EVENT_TYPES } from '../../src/core/events.js';

let emu: RunningEmulator;
const receivers: Receiver[] = [];
let keyCounter = 0;
/** A fresh project for each test: a new key. */
const freshKey = () => `test-key-${++keyCounter}-${Date.now()}`;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, host: '127.0.0.1', allowLocalTargets: true, retryDelaysMs: [5, 5, 5, 5, 5] });
});
afterAll(async () => {
  await emu.close();
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(answer?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

const createBody = (over: Record<string, unknown> = {}) => ({
  url: 'https://your-app.example.com/anchor/webhooks',
  subscribed_events: ['task.completed', 'task.failed'],
  ...over,
});

describe('auth', () => {
  it('a missing key is 401', async () => {
    const r = await apiClient(emu.url, undefined)('GET', '/v1/webhooks');
    expect(r.status).toBe(401);
    expect(r.body.error).toBeTypeOf('string');
  });

  it('each key is a project of its own', async () => {
    const a = apiClient(emu.url, freshKey());
    const b = apiClient(emu.url, freshKey());
    const created = await a('POST', '/v1/webhooks', createBody());
    expect(created.status).toBe(201);
    expect((await b('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
    expect((await b('GET', `/v1/webhooks/${created.body.id}`)).status).toBe(404);
    expect((await a('GET', '/v1/webhooks')).body.webhooks).toHaveLength(1);
  });

  it('with --api-key only the listed keys are accepted', async () => {
    const strict = await startEmulator({
      port: 0,
      host: '127.0.0.1',
      apiKeys: ['good'],
      allowLocalTargets: false,
      retryDelaysMs: [5],
    });
    try {
      expect((await apiClient(strict.url, 'bad')('GET', '/v1/webhooks')).status).toBe(401);
      expect((await apiClient(strict.url, 'good')('GET', '/v1/webhooks')).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('webhook CRUD', () => {
  it('create returns 201 with a wh_ ULID id and a 64-hex secret; get and list never show it', async () => {
    const call = apiClient(emu.url, freshKey());
    const c = await call('POST', '/v1/webhooks', createBody({ description: 'Production task notifications' }));
    expect(c.status).toBe(201);
    expect(c.body.id).toMatch(/^wh_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(c.body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(c.body).toMatchObject({
      enabled: true,
      description: 'Production task notifications',
      subscribed_events: ['task.completed', 'task.failed'],
    });
    expect(c.body.created_at).toBe(c.body.updated_at);
    const g = await call('GET', `/v1/webhooks/${c.body.id}`);
    expect(g.status).toBe(200);
    expect(g.body).not.toHaveProperty('secret');
    const l = await call('GET', '/v1/webhooks');
    expect(l.body.webhooks[0]).not.toHaveProperty('secret');
    expect(JSON.stringify(l.body)).not.toContain(c.body.secret);
  });

  it('description defaults to null; the sixth webhook is refused with 409', async () => {
    const call = apiClient(emu.url, freshKey());
    for (let i = 0; i < 5; i++) {
      const c = await call('POST', '/v1/webhooks', createBody());
      expect(c.status).toBe(201);
      expect(c.body.description).toBeNull();
    }
    const sixth = await call('POST', '/v1/webhooks', createBody());
    expect(sixth.status).toBe(409);
    expect(sixth.body.message).toMatch(/5 webhooks/);
    // Deleting one frees a place.
    const list = await call('GET', '/v1/webhooks');
    expect(list.body.webhooks).toHaveLength(5);
    await call('DELETE', `/v1/webhooks/${list.body.webhooks[0].id}`);
    expect((await call('POST', '/v1/webhooks', createBody())).status).toBe(201);
  });

  it('list is in creation order and includes disabled webhooks', async () => {
    const call = apiClient(emu.url, freshKey());
    const a = await call('POST', '/v1/webhooks', createBody({ description: 'a' }));
    const b = await call('POST', '/v1/webhooks', createBody({ description: 'b' }));
    await call('PATCH', `/v1/webhooks/${a.body.id}`, { enabled: false });
    const l = await call('GET', '/v1/webhooks');
    expect(l.body.webhooks.map((w: { id: string }) => w.id)).toEqual([a.body.id, b.body.id]);
    expect(l.body.webhooks[0].enabled).toBe(false);
  });

  it('patch changes only what is sent; null clears the description; events are replaced', async () => {
    const call = apiClient(emu.url, freshKey());
    const c = await call('POST', '/v1/webhooks', createBody({ description: 'd' }));
    const id = c.body.id;
    const p1 = await call('PATCH', `/v1/webhooks/${id}`, { subscribed_events: ['session.failed'] });
    expect(p1.body).toMatchObject({
      subscribed_events: ['session.failed'],
      description: 'd',
      url: c.body.url,
      enabled: true,
    });
    const p2 = await call('PATCH', `/v1/webhooks/${id}`, {
      description: null,
      url: 'https://new-host.example.com/anchor/webhooks',
    });
    expect(p2.body).toMatchObject({ description: null, url: 'https://new-host.example.com/anchor/webhooks' });
    const p3 = await call('PATCH', `/v1/webhooks/${id}`, {});
    expect(p3.status).toBe(200);
    expect(p3.body).toEqual(p2.body);
    expect(p2.body).not.toHaveProperty('secret');
  });

  it('delete is soft: then get, patch, rotate, test and delete are 404, the log stays readable', async () => {
    const call = apiClient(emu.url, freshKey());
    const r = await receiver();
    const c = await call('POST', '/v1/webhooks', createBody({ url: r.url }));
    const id = c.body.id;
    await call('POST', `/v1/webhooks/${id}/test`, { event_type: 'task.completed' });
    await r.waitFor(1);
    const d = await call('DELETE', `/v1/webhooks/${id}`);
    expect(d).toMatchObject({ status: 200, body: { ok: true } });
    expect((await call('GET', `/v1/webhooks/${id}`)).status).toBe(404);
    expect((await call('PATCH', `/v1/webhooks/${id}`, { enabled: false })).status).toBe(404);
    expect((await call('POST', `/v1/webhooks/${id}/rotate-secret`)).status).toBe(404);
    expect((await call('POST', `/v1/webhooks/${id}/test`, { event_type: 'task.completed' })).status).toBe(404);
    expect((await call('DELETE', `/v1/webhooks/${id}`)).status).toBe(404);
    const log = await call('GET', `/v1/webhooks/${id}/events`);
    expect(log.status).toBe(200);
    expect(log.body.events).toHaveLength(1);
    expect((await call('GET', '/v1/webhooks')).body.webhooks).toEqual([]);
  });

  it('unknown ids are 404 with an error body', async () => {
    const r = await apiClient(emu.url, freshKey())('GET', '/v1/webhooks/wh_nope');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ error: 'not_found' });
  });
});

describe('validation (400, naming the rule)', () => {
  it.each(
    [
      [{ url: 'http://example.com/h' }, /url: the URL must use https/],
      [{ url: 'https://10.0.0.1/h' }, /url: 10\.0\.0\.1 is a private address/],
      [{ url: 'https://u:p@example.com/h' }, /url: .*credentials/],
      [{ url: 'https://printer.local/h' }, /\.local/],
      [{ url: 'https://metadata.google.internal/' }, /metadata/],
      [{ url: 'https://sts.amazonaws.com/' }, /AWS/],
      [{ url: `https://example.com/${'a'.repeat(2040)}` }, /at most 2048/],
      [{ url: '' }, /url: the URL is empty/],
      [{ subscribed_events: [] }, /subscribed_events/],
      [{ subscribed_events: ['task.complete'] }, /unknown event type "task.complete". Did you mean "task.completed"/],
      [{ description: 'x'.repeat(257) }, /description: .*257/],
      [{ url: 42 }, /url: /],
    ].map(([over, m]) => [JSON.stringify(over).slice(0, 60), over as Record<string, unknown>, m as RegExp] as const),
  )('%s', async (_name, over, message) => {
    const strict = await startEmulator({ port: 0, host: '127.0.0.1', allowLocalTargets: false, retryDelaysMs: [5] });
    try {
      const r = await apiClient(strict.url, 'k')('POST', '/v1/webhooks', createBody(over));
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(message);
    } finally {
      await strict.close();
    }
  });

  it('accepts every catalog type, including session.ready', async () => {
    const r = await apiClient(emu.url, freshKey())(
      'POST',
      '/v1/webhooks',
      createBody({ subscribed_events: [...EVENT_TYPES] }),
    );
    expect(r.status).toBe(201);
    expect(r.body.subscribed_events).toHaveLength(14);
  });

  it('without --allow-local-targets, local receivers are refused; with it, accepted', async () => {
    const strict = await startEmulator({ port: 0, host: '127.0.0.1', allowLocalTargets: false, retryDelaysMs: [5] });
    try {
      const r = await apiClient(strict.url, 'k')(
        'POST',
        '/v1/webhooks',
        createBody({ url: 'http://127.0.0.1:3000/hooks' }),
      );
      expect(r.status).toBe(400);
    } finally {
      await strict.close();
    }
    const ok = await apiClient(emu.url, freshKey())(
      'POST',
      '/v1/webhooks',
      createBody({ url: 'http://127.0.0.1:3000/hooks' }),
    );
    expect(ok.status).toBe(201);
  });

  it('invalid JSON is 400, an oversized body 413', async () => {
    const res = await fetch(`${emu.url}/v1/webhooks`, {
      method: 'POST',
      headers: { 'anchor-api-key': 'k' },
      body: '{"url":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_json' });
    const big = await fetch(`${emu.url}/v1/webhooks`, {
      method: 'POST',
      headers: { 'anchor-api-key': 'k' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
  });
});

describe('deliveries', () => {
  it('a test event reaches the receiver with the documented headers and a signature that verifies', async () => {
    const call = apiClient(emu.url, freshKey());
    const r = await receiver();
    const c = await call('POST', '/v1/webhooks', createBody({ url: r.url }));
    const t = await call('POST', `/v1/webhooks/${c.body.id}/test`, { event_type: 'session.recording.ready' });
    expect(t.status).toBe(202);
    expect(t.body.external_event_id).toMatch(/^evt_[0-9a-f]{24}$/);
    const [req] = await r.waitFor(1);
    expect(req!.method).toBe('POST');
    expect(req!.headers['user-agent']).toBe('Anchor-Webhooks/1.0');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['anchor-event']).toBe('session.recording.ready');
    expect(req!.headers['anchor-delivery-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(req!.headers['anchor-signature']).toBe(
      `t=${req!.headers['anchor-timestamp']},v1=${String(req!.headers['anchor-signature']).split('v1=')[1]}`,
    );
    expect(
      verifyDelivery({
        secret: c.body.secret,
        timestampHeader: req!.headers['anchor-timestamp'] as string,
        signatureHeader: req!.headers['anchor-signature'] as string,
        rawBody: req!.body,
      }),
    ).toBe(true);
    const envelope = JSON.parse(req!.body.toString());
    expect(Object.keys(envelope).sort()).toEqual(['created', 'data', 'id', 'project_id', 'text', 'type']);
    expect(envelope).toMatchObject({
      id: t.body.external_event_id,
      type: 'session.recording.ready',
      project_id: c.body.project_id,
    });
    expect(envelope.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(envelope.data).toMatchObject({ session_id: expect.any(String), recording_id: expect.any(String) });
    const log = await until(
      () => call('GET', `/v1/webhooks/${c.body.id}/events`),
      (x) => x.body.events[0]?.status === 'succeeded',
    );
    expect(log.body.events[0]).toMatchObject({
      id: req!.headers['anchor-delivery-id'],
      external_event_id: t.body.external_event_id,
      event_type: 'session.recording.ready',
      attempt: 1,
      response_status: 200,
      error_message: null,
    });
    expect(log.body.events[0].completed_at).toEqual(expect.any(String));
  });

  it('a failing receiver ends dead after 6 attempts, each re-signed, all recorded', async () => {
    const call = apiClient(emu.url, freshKey());
    const r = await receiver(() => 500);
    const c = await call('POST', '/v1/webhooks', createBody({ url: r.url }));
    await call('POST', `/v1/webhooks/${c.body.id}/test`, { event_type: 'task.failed' });
    const log = await until(
      () => call('GET', `/v1/webhooks/${c.body.id}/events`),
      (x) => x.body.events[0]?.status === 'dead',
    );
    expect(log.body.events[0]).toMatchObject({
      status: 'dead',
      attempt: 6,
      response_status: 500,
      error_message: expect.stringContaining('500'),
    });
    expect(r.requests).toHaveLength(6);
    const ids = new Set(r.requests.map((q) => q.headers['anchor-delivery-id']));
    expect(ids.size).toBe(1);
    for (const q of r.requests) {
      expect(
        verifyDelivery({
          secret: c.body.secret,
          timestampHeader: q.headers['anchor-timestamp'] as string,
          signatureHeader: q.headers['anchor-signature'] as string,
          rawBody: q.body,
        }),
      ).toBe(true);
    }
  });

  it('a non-retryable 4xx ends failed after one attempt; 429 and 408 are retried', async () => {
    const call = apiClient(emu.url, freshKey());
    const gone = await receiver(() => 410);
    const c = await call('POST', '/v1/webhooks', createBody({ url: gone.url }));
    await call('POST', `/v1/webhooks/${c.body.id}/test`, { event_type: 'task.failed' });
    const log = await until(
      () => call('GET', `/v1/webhooks/${c.body.id}/events`),
      (x) => x.body.events[0]?.status === 'failed',
    );
    expect(log.body.events[0]).toMatchObject({ attempt: 1, response_status: 410 });
    expect(gone.requests).toHaveLength(1);

    const busy = await receiver((_q, i) => (i < 2 ? 429 : i < 3 ? 408 : 204));
    const c2 = await call('POST', '/v1/webhooks', createBody({ url: busy.url }));
    await call('POST', `/v1/webhooks/${c2.body.id}/test`, { event_type: 'task.failed' });
    const log2 = await until(
      () => call('GET', `/v1/webhooks/${c2.body.id}/events`),
      (x) => x.body.events[0]?.status === 'succeeded',
    );
    expect(log2.body.events[0]).toMatchObject({ attempt: 4, response_status: 204 });
  });

  it('rotation: deliveries carry a v1 for the new and the old secret', async () => {
    const call = apiClient(emu.url, freshKey());
    const r = await receiver();
    const c = await call('POST', '/v1/webhooks', createBody({ url: r.url }));
    const rot = await call('POST', `/v1/webhooks/${c.body.id}/rotate-secret`);
    expect(rot.status).toBe(200);
    expect(rot.body.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(rot.body.secret).not.toBe(c.body.secret);
    await call('POST', `/v1/webhooks/${c.body.id}/test`, { event_type: 'task.completed' });
    const [req] = await r.waitFor(1);
    const sig = req!.headers['anchor-signature'] as string;
    expect(sig.match(/v1=/g)).toHaveLength(2);
    for (const secret of [rot.body.secret, c.body.secret]) {
      expect(
        verifyDelivery({
          secret,
          timestampHeader: req!.headers['anchor-timestamp'] as string,
          signatureHeader: sig,
          rawBody: req!.body,
        }),
      ).toBe(true);
    }
  });

  it('POST /_emulator/events fans a real event out to enabled, subscribed webhooks only', async () => {
    const call = apiClient(emu.url, freshKey());
    const r = await receiver();
    const sub = await call(
      'POST',
      '/v1/webhooks',
      createBody({ url: `${r.url}?w=sub`, subscribed_events: ['batch.completed'] }),
    );
    const other = await call(
      'POST',
      '/v1/webhooks',
      createBody({ url: `${r.url}?w=other`, subscribed_events: ['task.failed'] }),
    );
    const off = await call(
      'POST',
      '/v1/webhooks',
      createBody({ url: `${r.url}?w=off`, subscribed_events: ['batch.completed'] }),
    );
    await call('PATCH', `/v1/webhooks/${off.body.id}`, { enabled: false });
    const e = await call('POST', '/_emulator/events', { type: 'batch.completed', data: { batch_id: 'bat_1' } });
    expect(e.status).toBe(202);
    expect(e.body.id).toMatch(/^evt_/);
    await r.waitFor(1);
    await emu.dispatcher.idle();
    expect(r.requests.map((q) => q.url)).toEqual(['/hooks?w=sub']);
    const envelope = JSON.parse(r.requests[0]!.body.toString());
    expect(envelope).toMatchObject({ id: e.body.id, type: 'batch.completed', data: { batch_id: 'bat_1' } });
    expect((await call('GET', `/v1/webhooks/${other.body.id}/events`)).body.events).toEqual([]);
    expect((await call('GET', `/v1/webhooks/${sub.body.id}/events`)).body.events).toHaveLength(1);
    expect((await call('POST', '/_emulator/events', { type: 'task.done' })).status).toBe(400);
  });
});

describe('delivery log query', () => {
  async function seeded() {
    const call = apiClient(emu.url, freshKey());
    const r = await receiver((q) => (JSON.parse(q.body.toString()).type === 'task.failed' ? 410 : 200));
    const c = await call('POST', '/v1/webhooks', createBody({ url: r.url }));
    for (const type of ['task.completed', 'task.failed', 'task.completed', 'session.failed', 'task.completed']) {
      await call('POST', `/v1/webhooks/${c.body.id}/test`, { event_type: type });
    }
    await r.waitFor(5);
    await emu.dispatcher.idle();
    return { call, id: c.body.id as string };
  }

  it('filters by status and event_type, pages with limit/offset, newest first', async () => {
    const { call, id } = await seeded();
    const all = await call('GET', `/v1/webhooks/${id}/events`);
    expect(all.body.pagination).toEqual({ limit: 25, offset: 0, total: 5 });
    const times = all.body.events.map((e: { scheduled_at: string }) => e.scheduled_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(
      (await call('GET', `/v1/webhooks/${id}/events?status=failed`)).body.events.map(
        (e: { event_type: string }) => e.event_type,
      ),
    ).toEqual(['task.failed']);
    expect((await call('GET', `/v1/webhooks/${id}/events?event_type=task.completed`)).body.pagination.total).toBe(3);
    const page = await call('GET', `/v1/webhooks/${id}/events?limit=2&offset=2`);
    expect(page.body.events).toHaveLength(2);
    expect(page.body.pagination).toEqual({ limit: 2, offset: 2, total: 5 });
    expect(page.body.events[0].id).toBe(all.body.events[2].id);
    expect(all.body.events[0]).not.toHaveProperty('payload');
    const withPayload = await call('GET', `/v1/webhooks/${id}/events?include_payload=true&limit=1`);
    expect(withPayload.body.events[0].payload).toEqual(expect.any(Object));
  });

  it('since/until select by scheduled time', async () => {
    const { call, id } = await seeded();
    const future = new Date(Date.now() + 3600_000).toISOString();
    const past = new Date(Date.now() - 3600_000).toISOString();
    expect((await call('GET', `/v1/webhooks/${id}/events?since=${future}`)).body.pagination.total).toBe(0);
    expect((await call('GET', `/v1/webhooks/${id}/events?since=${past}&until=${future}`)).body.pagination.total).toBe(
      5,
    );
  });

  it.each([
    'limit=0',
    'limit=101',
    'limit=abc',
    'offset=-1',
    'status=in_flight',
    'status=ok',
    'event_type=nope',
    'since=yesterday',
    'include_payload=yes',
  ])('%s is 400', async (q) => {
    const { call, id } = await seeded();
    const r = await call('GET', `/v1/webhooks/${id}/events?${q}`);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(new RegExp(q.split('=')[0]!));
  });
});
