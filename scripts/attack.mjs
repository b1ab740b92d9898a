// Load with an attack beside it, for the reliability test and `npm run bench`: senders of valid
// deliveries, timed one by one, while other clients send bad signatures on 1 MiB bodies, hold idle
// sockets, trickle slow headers or hold bodies open at the same receiver. Loopback only; every
// loop is bounded.
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';

/** The Anchor-* headers for `body`, signed now with `secret`. */
export function sign(secret, body) {
  const t = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'anchor-timestamp': String(t),
    'anchor-signature': `t=${t},v1=${createHmac('sha256', secret).update(`v0:${t}:${body}`).digest('hex')}`,
  };
}

/** POSTs `body`; resolves with the status once the answer has been read. */
export function post(agent, url, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Starts the attackers against `url` and returns `stop()`, which ends them and resolves with what
 * they did. Bad-signature senders loop until stopped (at most `maxBadRequests` in all).
 */
export function startAttack(
  url,
  { badSenders = 8, idleSockets = 500, slowSockets = 20, maxBadRequests = 100_000 } = {},
) {
  const target = new URL(url);
  const port = Number(target.port);
  let stopped = false;
  const stats = { badRequests: 0, badStatuses: {}, idleOpened: 0, idleClosedByServer: 0, slowOpened: 0, errors: 0 };
  const sockets = new Set();
  const track = (s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    return s;
  };

  for (let i = 0; i < idleSockets; i++) {
    const s = track(net.connect(port, target.hostname));
    stats.idleOpened++;
    s.on('close', () => {
      if (!stopped) stats.idleClosedByServer++;
    });
  }
  // Slow headers: a byte every 200 ms, reconnecting when the server gives up on one.
  const trickle = () => {
    if (stopped) return;
    const s = track(net.connect(port, target.hostname));
    stats.slowOpened++;
    const head = `POST ${target.pathname} HTTP/1.1\r\nHost: x\r\nAnchor-Timestamp: 1\r\nX-Slow: ${'a'.repeat(200)}`;
    let i = 0;
    const timer = setInterval(() => {
      if (stopped || s.destroyed || i >= head.length) return clearInterval(timer);
      s.write(head[i++]);
    }, 200);
    s.on('close', () => {
      clearInterval(timer);
      setTimeout(trickle, 50);
    });
  };
  for (let i = 0; i < slowSockets; i++) trickle();

  // Bad signatures on 1 MiB bodies that are JSON (the costliest thing to diagnose), fresh timestamps.
  const big = JSON.stringify({
    id: 'evt_attack',
    type: 'task.completed',
    data: { blob: 'x'.repeat(1024 * 1024 - 100) },
  });
  const badAgent = new http.Agent({ keepAlive: true, maxSockets: badSenders });
  const bad = Array.from({ length: badSenders }, async () => {
    while (!stopped && stats.badRequests < maxBadRequests) {
      stats.badRequests++;
      const headers = sign('not-the-secret', big);
      try {
        const status = await post(badAgent, target, big, headers);
        stats.badStatuses[status] = (stats.badStatuses[status] ?? 0) + 1;
      } catch {
        stats.errors++;
      }
    }
  });

  return {
    stats,
    async stop() {
      stopped = true;
      await Promise.all(bad);
      badAgent.destroy();
      for (const s of sockets) s.destroy();
      return stats;
    },
  };
}

/**
 * The memory attack: `sockets` connections, each with fresh, well-formed `Anchor-*` headers (a
 * made-up v1=) and a body of `bodyBytes` of which all but the last byte is sent, then held open,
 * so a receiver that keeps bodies until their HMAC is known keeps them all. `stop()` closes them.
 */
export function holdBodies(url, { sockets = 300, bodyBytes = 1024 * 1024 } = {}) {
  const target = new URL(url);
  const port = Number(target.port);
  // One buffer for every socket: the attacker's memory stays small, the receiver's is the question.
  const body = Buffer.alloc(bodyBytes - 1, 'a');
  const stats = { opened: 0, answered: {}, closedByServer: 0 };
  const open = new Set();
  let stopped = false;
  for (let i = 0; i < sockets; i++) {
    const s = net.connect(port, target.hostname);
    open.add(s);
    stats.opened++;
    let head = '';
    s.on('data', (d) => {
      if (head === undefined) return;
      head += d.toString('latin1');
      const m = head.match(/^HTTP\/1\.1 (\d{3})/);
      if (!m) return;
      stats.answered[m[1]] = (stats.answered[m[1]] ?? 0) + 1;
      head = undefined;
    });
    s.on('error', () => {});
    s.on('close', () => {
      open.delete(s);
      if (!stopped) stats.closedByServer++;
    });
    const t = Math.floor(Date.now() / 1000);
    s.write(
      `POST ${target.pathname} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAnchor-Timestamp: ${t}\r\n` +
        `Anchor-Signature: t=${t},v1=${randomBytes(32).toString('hex')}\r\nContent-Length: ${bodyBytes}\r\n\r\n`,
    );
    s.write(body);
  }
  return {
    stats,
    stop() {
      stopped = true;
      for (const s of open) s.destroy();
    },
  };
}

/**
 * `total` valid deliveries from `concurrency` senders, each one timed. Resolves with the statuses,
 * the latencies (ms, sorted) and the rate.
 */
export async function timedLoad(url, secret, { total = 3000, concurrency = 50, tag = 'load' } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  const statuses = {};
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const body = JSON.stringify({
          id: `evt_${tag}_${i}`,
          type: 'task.completed',
          text: `${tag} ${i}`,
          data: { i },
        });
        const t0 = process.hrtime.bigint();
        let status;
        try {
          status = await post(agent, url, body, sign(secret, body));
        } catch (e) {
          status = `error: ${e.code ?? e.message}`;
        }
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { statuses, perSecond: total / seconds, p50: pct(50), p99: pct(99), max: latencies[latencies.length - 1] };
}

// As commands, for a test whose own process should neither attack nor time (a test runner's
// worker adds its own pauses to what it measures):
//   node scripts/attack.mjs attack <url> [badSenders] [idleSockets] [slowSockets]
//     prints `refused <n>` lines as bad requests are refused; when stdin closes (or on SIGTERM) it
//     stops and prints its stats as one JSON line.
//   ANCHOR_WEBHOOK_SECRET=… node scripts/attack.mjs load <url> [total] [concurrency]
//     sends the valid deliveries and prints timedLoad's result as one JSON line.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [mode, url, ...rest] = process.argv.slice(2);
  if (mode === 'load') {
    const [total = '3000', concurrency = '50'] = rest;
    const result = await timedLoad(url, process.env.ANCHOR_WEBHOOK_SECRET, {
      total: Number(total),
      concurrency: Number(concurrency),
      tag: 'timed',
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const [bad = '8', idle = '500', slow = '20'] = rest;
    const attack = startAttack(url, { badSenders: Number(bad), idleSockets: Number(idle), slowSockets: Number(slow) });
    let reported = 0;
    const report = setInterval(() => {
      const refused = attack.stats.badStatuses['401'] ?? 0;
      if (refused !== reported) process.stdout.write(`refused ${(reported = refused)}\n`);
    }, 20);
    const finish = async () => {
      clearInterval(report);
      const stats = await attack.stop();
      process.stdout.write(`${JSON.stringify(stats)}\n`);
      process.exit(0);
    };
    process.once('SIGTERM', finish);
    process.stdin.on('end', finish).resume();
  }
}
