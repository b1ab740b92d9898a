// doctor's `app` check from a delivery record written by the record's own writer: what the app made
// of the newest verified delivery listen forwarded (refused connection, out of time, a non-2xx, a
// 2xx), and that a delivery that was not forwarded, or none at all, is a skip, not a failure.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from '../../../src/context.js';
import { appCheck } from '../../../src/commands/doctor/check-app.js';
import { RecordWriter, type ForwardResult } from '../../../src/local/record.js';
import { recordedRequest } from '../../helpers/record.js';

const T0 = Date.parse('2026-05-24T12:00:00Z');
const APP = 'http://localhost:3000/hooks';

/** A state folder whose record holds one verified delivery per entry, oldest first, with its forward result. */
function withRecord(forwards: (Partial<ForwardResult> | undefined)[]): Context {
  const env = { ANCHOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'anchor-doctor-app-')) };
  let clock = T0;
  const writer = RecordWriter.open(
    env,
    (s) => s,
    () => clock,
  );
  forwards.forEach((f, i) => {
    clock += 1000;
    const id = `rec_${String(i).padStart(4, '0')}`;
    writer.request(recordedRequest(id, clock, 'ok', f ? { status: 0 } : {}));
    if (f) writer.forward(id, { url: APP, status: 0, latency_ms: 3, response_body: '', ...f });
  });
  writer.close();
  return { env, now: () => new Date(clock + 1000) } as unknown as Context;
}

describe('app', () => {
  it('is skipped with no delivery recorded, or when the newest was not forwarded', () => {
    expect(appCheck(withRecord([]))).toMatchObject({ id: 'app', ok: true, skipped: true });
    const notForwarded = appCheck(withRecord([{ status: 200 }, undefined]));
    expect(notForwarded).toMatchObject({ skipped: true });
    expect(notForwarded.detail).toContain('rec_0001, was not forwarded');
  });
  it('a refused connection: listen could not reach the app, in plain words, and the replay that resends', () => {
    const c = appCheck(withRecord([{ status: 200 }, { error: 'connect ECONNREFUSED 127.0.0.1:3000' }]));
    expect(c).toMatchObject({ ok: false });
    expect(c.detail).toContain(`listen could not reach your app at ${APP} for rec_0001 (task.completed)`);
    expect(c.detail).toContain('connection refused — is it running?');
    expect(c.detail).toContain('listen answered Anchor 502');
    expect(c.fix).toContain(`Start your app so that it listens at ${APP}`);
    expect(c.fix).toContain('`anchor webhooks replay rec_0001`');
  });
  it('out of time: the 504, and answer first', () => {
    const c = appCheck(withRecord([{ error: 'no complete answer within 9s', timed_out: true }]));
    expect(c).toMatchObject({ ok: false });
    expect(c.detail).toContain('gave no complete answer');
    expect(c.detail).toContain('listen answered Anchor 504');
    expect(c.fix).toContain('Answer first, work after');
  });
  it('a non-2xx: a refused signature points at the forwarding secret; another status at the logs', () => {
    const refused = appCheck(withRecord([{ status: 401, resigned: true }]));
    expect(refused).toMatchObject({ ok: false, detail: expect.stringContaining(`your app at ${APP} answered 401`) });
    expect(refused.fix).toContain('anchor webhooks listen --print-secret');
    const failing = appCheck(withRecord([{ status: 500 }]));
    expect(failing.fix).toContain('`anchor webhooks received show rec_0000`');
  });
  it('passes on a 2xx to the newest, whatever failed before it', () => {
    const c = appCheck(withRecord([{ error: 'connect ECONNREFUSED 127.0.0.1:3000' }, { status: 204 }]));
    expect(c).toMatchObject({ ok: true });
    expect(c.skipped).toBeUndefined();
    expect(c.detail).toContain(`your app at ${APP} answered 204 to rec_0001`);
  });
});
