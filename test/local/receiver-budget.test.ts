// The receiver's memory budget on real sockets: bodies held open past it are answered 503 and
// closed, refused in the record and through onReject, and every byte comes back when they go.
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { startReceiver } from '../../src/local/receiver.js';
import type { Rejection } from '../../src/local/receiver-types.js';
import type { RecordedRequest } from '../../src/local/record.js';
import { computeSignature } from '../../src/core/signature.js';

const SECRET = 'budget-test-secret-0123456789';
const KIB = 1024;

/** Waits until `condition` holds, checking on each turn of the event loop, for at most `ms`. */
async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * A stranger's request: fresh, well-formed headers with a made-up v1=, and a body of `declared`
 * bytes of which all but the last are sent; the socket is then held open.
 */
function heldBody(port: number, declared: number) {
  const t = Math.floor(Date.now() / 1000);
  const socket = net.connect(port, '127.0.0.1');
  let answer = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
  socket.on('error', () => {});
  socket.on('close', () => (closed = true));
  socket.write(
    `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAnchor-Timestamp: ${t}\r\n` +
      `Anchor-Signature: t=${t},v1=${randomBytes(32).toString('hex')}\r\nContent-Length: ${declared}\r\n\r\n`,
  );
  socket.write(Buffer.alloc(declared - 1, 'a'));
  return { socket, answer: () => answer, closed: () => closed };
}

function post(port: number, body: string): Promise<number> {
  const t = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'anchor-timestamp': String(t),
          'anchor-signature': `t=${t},v1=${computeSignature(SECRET, t, body)}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function budgetedReceiver(maxBufferedBodyBytes: number) {
  const rejections: Rejection[] = [];
  const recorded: RecordedRequest[] = [];
  const receiver = await startReceiver({
    port: 0,
    host: '127.0.0.1',
    path: '/',
    secrets: () => [SECRET],
    now: () => new Date(),
    onEvent: () => {},
    onReject: (r) => rejections.push(r),
    limits: { maxBufferedBodyBytes },
    record: { request: (r) => recorded.push(r), forward: () => {} },
  });
  return { receiver, rejections, recorded };
}

describe('the memory budget for bodies not yet verified', () => {
  it('answers 503 (Retry-After, Connection: close) past it, closes those sockets, and records and reports each', async () => {
    const { receiver, rejections, recorded } = await budgetedReceiver(256 * KIB);
    const strangers = Array.from({ length: 6 }, () => heldBody(receiver.port, 100 * KIB));
    // At most two 100 KiB bodies fit in 256 KiB: the other four are refused.
    await until(() => strangers.filter((s) => s.closed()).length >= 4, 'four refused sockets to be closed');
    const refused = strangers.filter((s) => s.closed());
    for (const s of refused) {
      expect(s.answer()).toMatch(/^HTTP\/1\.1 503 /);
      expect(s.answer()).toMatch(/\r\nRetry-After: \d+\r\n/i);
      expect(s.answer()).toMatch(/\r\nConnection: close\r\n/i);
    }
    expect(receiver.bufferedBodyBytes()).toBeLessThanOrEqual(256 * KIB);
    expect(rejections.filter((r) => r.status === 503).length).toBe(refused.length);
    expect(rejections[0]!.reason).toContain('too many request bodies arriving at once');
    const records = recorded.filter((r) => r.status === 503);
    expect(records).toHaveLength(refused.length);
    expect(records[0]).toMatchObject({ verdict: 'refused', body_truncated: true });
    // The held ones go away mid-body: what they held comes back.
    for (const s of strangers) s.socket.destroy();
    await until(() => receiver.bufferedBodyBytes() === 0, 'the budget to return to 0');
    expect(await post(receiver.port, JSON.stringify({ id: 'evt_after', type: 'task.completed' }))).toBe(200);
    expect(receiver.bufferedBodyBytes()).toBe(0);
    await receiver.close();
  });

  it('gives back what a verified delivery, a refused signature and a refused header took', async () => {
    const { receiver } = await budgetedReceiver(256 * KIB);
    const big = JSON.stringify({ id: 'evt_big', type: 'task.completed', data: { pad: 'x'.repeat(200 * KIB) } });
    expect(await post(receiver.port, big)).toBe(200);
    const stranger = heldBody(receiver.port, 50 * KIB);
    stranger.socket.end('a');
    await until(() => stranger.closed() || stranger.answer().includes('\r\n\r\n'), 'an answer to the stranger');
    expect(stranger.answer()).toMatch(/^HTTP\/1\.1 401 /);
    const stale = net.connect(receiver.port, '127.0.0.1');
    stale.on('error', () => {});
    const staleAnswer = new Promise<string>((resolve) => {
      let text = '';
      stale.on('data', (d: Buffer) => (text += d.toString()));
      stale.on('close', () => resolve(text));
    });
    stale.end(
      `POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAnchor-Timestamp: 1\r\nAnchor-Signature: t=1,v1=00\r\nContent-Length: ${20 * KIB}\r\n\r\n${'b'.repeat(20 * KIB)}`,
    );
    expect(await staleAnswer).toMatch(/^HTTP\/1\.1 40[01] /);
    await until(() => receiver.bufferedBodyBytes() === 0, 'the budget to return to 0');
    stranger.socket.destroy();
    await receiver.close();
  });
});
