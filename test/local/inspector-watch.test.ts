// The standalone inspector watches the whole record: a request written to a segment that is not
// the newest by name (a second `listen` run, or a refusal, which has segments of its own) reaches
// the open page as it arrives.
import { afterEach, describe, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordWriter, type RecordedRequest } from '../../src/local/record.js';
import { startInspector, type RunningInspector } from '../../src/local/inspector.js';

const keep = (s: string) => s;
const request = (id: string, at: number, verdict: 'ok' | 'refused'): RecordedRequest => ({
  id,
  received_at: new Date(at).toISOString(),
  method: 'POST',
  path: '/',
  headers: {},
  body_b64: '',
  verdict,
  status: verdict === 'ok' ? 200 : 401,
});

/** Opens the page's event stream; `next(id)` resolves when a record with that id is announced. */
function events(url: string): Promise<{ next: (id: string) => Promise<void>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.get(`${u.origin}/api/events${u.search}`, (res) => {
      let text = '';
      const waiters: Array<{ id: string; done: () => void }> = [];
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
        for (const w of waiters) if (text.includes(`"id":"${w.id}"`)) w.done();
      });
      resolve({
        next: (id) =>
          new Promise<void>((done, fail) => {
            if (text.includes(`"id":"${id}"`)) return done();
            const t = setTimeout(() => fail(new Error(`no event for ${id} within 5 s; got: ${text}`)), 5000);
            waiters.push({ id, done: () => (clearTimeout(t), done()) });
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

let inspector: RunningInspector | undefined;
afterEach(async () => {
  await inspector?.close();
  inspector = undefined;
});

describe('the standalone inspector', () => {
  it('announces requests written to an older segment by another run, and refused ones', async () => {
    const env = { ANCHOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'anchor-inspect-')) };
    const start = Date.now();
    // Run A started a minute before run B; each has recorded one delivery.
    const a = RecordWriter.open(env, keep, () => start - 60_000);
    const b = RecordWriter.open(env, keep, () => start);
    a.request(request('rec_a1', start - 60_000, 'ok'));
    b.request(request('rec_b1', start, 'ok'));
    inspector = await startInspector({
      port: 0,
      env,
      now: () => new Date(),
      listed: (r) => ({ id: r.id }),
      shown: (r) => r,
      redact: keep,
    });
    const stream = await events(inspector.url);
    try {
      a.request(request('rec_a2', Date.now(), 'ok'));
      await stream.next('rec_a2');
      a.request(request('rec_refused', Date.now(), 'refused'));
      await stream.next('rec_refused');
    } finally {
      stream.close();
      a.close();
      b.close();
    }
  });
});
