// `listen` faces the internet: each way a stranger once stopped or starved it, tried again.
import { describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { startReceiver } from '../../src/local/receiver.js';
import type { ReceiverLimits } from '../../src/local/receiver-types.js';
import { connectionCap } from '../../src/lib/serve.js';
import { computeSignature } from '../../src/core/signature.js';
import { runCli } from '../helpers/io.js';
import { isolatedEnv } from '../helpers/bin.js';
import { startBinListen, startListen } from '../helpers/listener.js';
import { readFileSync } from 'node:fs';
import { holdBodies } from '../../scripts/attack.mjs';

const SECRET = 'hostile-test-secret-0123456789';

function signed(body: string, secret = SECRET, t = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'content-type': 'application/json',
    'anchor-timestamp': String(t),
    'anchor-signature': `t=${t},v1=${computeSignature(secret, t, body)}`,
  };
}

function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  agent: http.Agent | false = false,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const envelope = (id: string) => JSON.stringify({ id, type: 'task.completed', text: `event ${id}`, data: {} });

const listenWith = (env: Record<string, string> = {}, args: string[] = []) =>
  startListen(['--port', '0', ...args], { env: { ANCHOR_WEBHOOK_SECRET: SECRET, ...env } });

/** A figure from /proc/<pid>/status (VmRSS: now; VmHWM: the peak), in MB. */
function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return Number(m![1]) / 1024;
}

/** A receiver for SECRET on a free loopback port, with the given limits. */
function receiverWith(limits: Partial<ReceiverLimits>, onEvent: (id: string) => void = () => {}) {
  return startReceiver({
    port: 0,
    host: '127.0.0.1',
    path: '/',
    secrets: () => [SECRET],
    now: () => new Date(),
    onEvent: (e) => onEvent(e.id),
    onReject: () => {},
    limits,
  });
}

describe('listen against hostile requests', () => {
  it('a 16-digit timestamp and a signed body of null are refused (400), and the process keeps serving', async () => {
    const { io, done, url } = await listenWith();
    const huge = await post(url, '{}', {
      'anchor-timestamp': '9999999999999999',
      'anchor-signature': 't=9999999999999999,v1=0',
    });
    expect(huge.status).toBe(400);
    expect(await post(url, 'null', signed('null'))).toMatchObject({ status: 400 });
    expect(await post(url, '[]', signed('[]'))).toMatchObject({ status: 400 });
    expect(await post(url, envelope('evt_after_attack'), signed(envelope('evt_after_attack')))).toMatchObject({
      status: 200,
    });
    expect(io.stdout.text).toContain('evt_after_attack');
    expect(io.stderr.text).toContain('is not a Unix time in seconds');
    expect(io.stderr.text).toContain('not a JSON object');
    io.sendSignal('SIGINT');
    expect(await done).toBe(0);
    expect(io.stderr.text).not.toMatch(/this is a bug|RangeError|TypeError/);
  });

  it('refusals cost little: the full diagnosis runs for a few at a time, stale and malformed requests get no HMAC', async () => {
    const { io, done, url } = await listenWith();
    const body = envelope('evt_pretty');
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    // 30 deliveries whose body was re-serialised: each would be diagnosed as such, given the time.
    for (let i = 0; i < 30; i++) expect((await post(url, pretty, signed(body))).status).toBe(401);
    const diagnosed = io.stderr.text.split('re-serialised').length - 1;
    expect(diagnosed).toBeGreaterThanOrEqual(1);
    expect(diagnosed).toBeLessThanOrEqual(5);
    // The rest are refused with the reason, and the fix named, but not the variants recomputed.
    expect(io.stderr.text).toContain('not diagnosed here');
    // Stale: refused on its age, before any HMAC (its signature is not even looked at).
    const old = Math.floor(Date.now() / 1000) - 3600;
    const stale = await post(url, body, {
      'anchor-timestamp': String(old),
      'anchor-signature': `t=${old},v1=${'0'.repeat(64)}`,
    });
    expect(stale).toMatchObject({ status: 401 });
    expect(stale.body).toContain('freshness check failed');
    io.sendSignal('SIGINT');
    expect(await done).toBe(0);
  });

  it("a stranger's text cannot drive the terminal: control characters in a refused request are shown escaped", async () => {
    const { io, done, url } = await listenWith();
    // A raw request, so the bytes reach the server as sent. Node refuses C0 controls in headers
    // itself (400, nothing printed); C1 controls such as CSI (0x9b) pass as latin1 and are ours to escape.
    await new Promise<void>((resolve) => {
      const { port } = new URL(url);
      const s = net.connect(Number(port), '127.0.0.1', () =>
        s.end(
          Buffer.from(
            'POST / HTTP/1.1\r\nHost: x\r\nAnchor-Timestamp: 1\x9b31m\r\nAnchor-Signature: t=1\x9b2J,v1=0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
            'latin1',
          ),
        ),
      );
      s.resume();
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
    io.sendSignal('SIGINT');
    expect(await done).toBe(0);
    expect(io.stderr.text).not.toContain('\u009b');
    expect(io.stderr.text).toContain('t=1\\x9b2J');
  });

  it('idle sockets and slow headers are closed after the header timeout', async () => {
    const r = await receiverWith({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const closed = (s: net.Socket) =>
      new Promise<string>((resolve) => {
        let got = '';
        s.on('data', (d: Buffer) => (got += d.toString()));
        s.on('error', () => {});
        s.on('close', () => resolve(got));
      });
    const idle = net.connect(r.port, '127.0.0.1');
    const slow = net.connect(r.port, '127.0.0.1', () => slow.write('POST / HTTP/1.1\r\nHost: x\r\nAnchor-Ti'));
    const [a, b] = await Promise.race([
      Promise.all([closed(idle), closed(slow)]),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the server kept idle sockets open for 8 s')), 8000),
      ),
    ]);
    expect(a).toMatch(/^(HTTP\/1\.1 408|)/);
    expect(b).toMatch(/^(HTTP\/1\.1 408|)/);
    await r.close();
  });

  it('sockets that never send a byte are closed by the header deadline (Node starts its own at the first byte)', async () => {
    const r = await receiverWith({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const opened = Date.now();
    const silent = Array.from({ length: 20 }, () => {
      const s = net.connect(r.port, '127.0.0.1');
      s.on('error', () => {});
      // Reading, so that the server's close reaches 'close' here: a paused socket never reads the
      // end of its stream (on a loaded machine, its 'close' waited past the deadline).
      s.resume();
      return new Promise<number>((resolve) => s.on('close', () => resolve(Date.now() - opened)));
    });
    let deadline: NodeJS.Timeout | undefined;
    const closedAfter = await Promise.race([
      Promise.all(silent),
      new Promise<never>((_, reject) => {
        deadline = setTimeout(() => reject(new Error('silent sockets were still open 5 s after connecting')), 5000);
      }),
    ]).finally(() => clearTimeout(deadline));
    expect(Math.max(...closedAfter)).toBeLessThan(5000);
    // Serving goes on.
    const body = envelope('evt_after_silent');
    expect((await post(`http://127.0.0.1:${r.port}/`, body, signed(body))).status).toBe(200);
    await r.close();
  });

  it('past the connection cap, the oldest idle sockets are closed so real deliveries still get in', async () => {
    const events: string[] = [];
    const r = await receiverWith({ maxConnections: 20 }, (id) => events.push(id));
    const idle: net.Socket[] = [];
    const closedByServer: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) {
      const s = net.connect(r.port, '127.0.0.1');
      s.on('error', () => {});
      closedByServer.push(new Promise((resolve) => s.on('close', () => resolve())));
      idle.push(s);
      await new Promise((resolve) => s.on('connect', resolve));
    }
    // 80 of the 100 idle sockets had to go; the cap holds the rest.
    await Promise.all(closedByServer.slice(0, 80));
    for (let i = 0; i < 10; i++) {
      const body = envelope(`evt_cap_${i}`);
      expect((await post(`http://127.0.0.1:${r.port}/`, body, signed(body))).status).toBe(200);
    }
    expect(events).toHaveLength(10);
    for (const s of idle) s.destroy();
    await r.close();
  });

  it('the cap follows the open-file limit', () => {
    expect(connectionCap(1024)).toBe(512);
    expect(connectionCap(64)).toBe(32);
    expect(connectionCap(10)).toBe(16);
    expect(connectionCap(1_000_000)).toBe(4096);
  });

  it('with a low open-file limit, 300 idle sockets do not lock real deliveries out (the built binary under prlimit)', async () => {
    const l = await startBinListen(['--port', '0', '--json'], isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET }), [
      'prlimit',
      '--nofile=64:64',
    ]);
    try {
      const { port } = new URL(l.url);
      const idle: net.Socket[] = [];
      for (let i = 0; i < 300; i++) {
        const s = net.connect(Number(port), '127.0.0.1');
        s.on('error', () => {});
        idle.push(s);
      }
      await Promise.all(
        idle.map(
          (s) =>
            new Promise((resolve) =>
              s.connecting ? s.once('connect', resolve).once('close', resolve) : resolve(undefined),
            ),
        ),
      );
      for (let i = 0; i < 20; i++) {
        const body = envelope(`evt_fd_${i}`);
        expect((await post(l.url, body, signed(body))).status).toBe(200);
      }
      for (const s of idle) s.destroy();
      expect(await l.stop()).toBe(0);
      expect(l.lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(
        Array.from({ length: 20 }, (_, i) => `evt_fd_${i}`),
      );
    } finally {
      l.kill();
    }
  }, 60_000);

  it('400 strangers holding ~1 MiB bodies open: past the memory budget they get 503, RSS stays bounded, a real delivery still gets 200 (the built binary)', async () => {
    const l = await startBinListen(['--port', '0', '--json'], isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET }));
    try {
      const pid = l.child.pid!;
      const warm = envelope('evt_before_hold');
      expect((await post(l.url, warm, signed(warm))).status).toBe(200);
      const before = memoryMb(pid, 'VmRSS');
      const sockets = 400;
      const attack = holdBodies(l.url, { sockets, bodyBytes: 1024 * 1024 });
      // 64 bodies of 1 MiB fit in the 64 MiB budget: every other socket must be answered and closed.
      // Without a budget none ever is, and the deadline ends the wait with the RSS still to judge.
      const deadline = Date.now() + 20_000;
      while (attack.stats.closedByServer < sockets - 64 && Date.now() < deadline)
        await new Promise((r) => setImmediate(r));
      const peak = memoryMb(pid, 'VmHWM');
      // Unbounded, this is ~1 MiB a socket (over 400 MB here); bounded, the budget and some garbage.
      expect(peak - before).toBeLessThan(250);
      expect(attack.stats.answered['503'] ?? 0).toBeGreaterThan(0);
      expect(attack.stats.closedByServer).toBeGreaterThanOrEqual(sockets - 64);
      attack.stop();
      // Once the strangers are gone, a real delivery gets 200: at once on Node, within a retry on
      // Bun (the single executable), which hears of the closed sockets a moment later. Anchor
      // retries a 503, so the one delivery is polled as it would be, with a deadline.
      const real = envelope('evt_after_hold');
      const retryUntil = Date.now() + 5_000;
      let status = (await post(l.url, real, signed(real))).status;
      while (status === 503 && Date.now() < retryUntil) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await post(l.url, real, signed(real))).status;
      }
      expect(status).toBe(200);
      expect(await l.stop()).toBe(0);
      expect(l.stderr()).toContain('✗ 503 too many request bodies arriving at once');
      expect(l.lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual([
        'evt_before_hold',
        'evt_after_hold',
      ]);
    } finally {
      l.kill();
    }
  }, 60_000);

  it("an app behind --forward-to that answers an endless body: Anchor gets the app's status, the body is cut at 1 MiB", async () => {
    const app = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = () => {
        while (res.write(chunk)) {
          if (res.destroyed) return;
        }
        res.once('drain', pump);
      };
      pump();
      res.on('close', () => res.destroy());
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const appPort = (app.address() as net.AddressInfo).port;
    const { io, done, url } = await listenWith({}, ['--forward-to', `http://127.0.0.1:${appPort}/`]);
    const body = envelope('evt_endless');
    const res = await post(url, body, signed(body));
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(1024 * 1024);
    expect(io.stdout.text).toContain('over 1 MiB: cut');
    io.sendSignal('SIGINT');
    expect(await done).toBe(0);
    app.closeAllConnections();
    await new Promise<void>((r) => app.close(() => r()));
  });
});

describe('verify with a timestamp no Date can hold', () => {
  it('says the header is malformed (exit 6), never "this is a bug"', async () => {
    for (const t of ['9999999999999999', '9'.repeat(400)]) {
      const r = await runCli(
        ['webhooks', 'verify', '--signature', `t=${t},v1=${'0'.repeat(64)}`, '--timestamp', t, '--payload', '-'],
        { env: { ANCHOR_WEBHOOK_SECRET: SECRET }, stdin: '{}' },
      );
      expect(r.code).toBe(6);
      expect(r.stdout).toContain(`t=${t} is not a Unix time in seconds`);
      expect(r.stderr).not.toMatch(/this is a bug|RangeError/);
    }
  });
});
