// Throughput benchmarks for `npm run bench`: `anchor webhooks listen` against a bare node:http
// server doing the same HMAC check (50 concurrent senders, same run, alternating rounds), and the
// emulator's fan-out of 1,000 events to a local receiver that verifies every delivery.
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { post, sign as signWith } from './attack.mjs';

const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

const sign = (body) => signWith(SECRET, body);

/** Deliveries per second from `concurrency` senders; every answer must be 200. */
async function load(url, total, concurrency, tag) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const bodies = Array.from({ length: total }, (_, i) =>
    JSON.stringify({ id: `evt_${tag}_${i}`, type: 'task.completed', text: `bench ${i}`, data: { i } }),
  );
  let next = 0;
  let bad = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const body = bodies[next++];
        if ((await post(agent, url, body, sign(body))) !== 200) bad++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  if (bad) throw new Error(`${bad} deliveries were not answered 200`);
  return total / seconds;
}

// The bare server: the same checks a receiver must make (headers, freshness, HMAC), nothing else.
const BARE = `
const http = require('http'), { createHmac, timingSafeEqual } = require('crypto');
const secret = process.env.SECRET;
http.createServer((req, res) => {
  const chunks = []; req.on('data', (c) => chunks.push(c)); req.on('end', () => {
    const body = Buffer.concat(chunks), t = req.headers['anchor-timestamp'], sig = String(req.headers['anchor-signature'] || '');
    const v1 = sig.split(',').filter((p) => p.startsWith('v1=')).map((p) => p.slice(3));
    const fresh = Math.abs(Date.now() / 1000 - Number(t)) <= 120;
    const expected = createHmac('sha256', secret).update('v0:' + t + ':').update(body).digest('hex');
    const ok = fresh && v1.some((v) => v.length === expected.length && timingSafeEqual(Buffer.from(v), Buffer.from(expected)));
    const id = ok ? JSON.parse(body).id : null;
    if (ok) process.stdout.write(JSON.stringify({ id }) + '\\n');
    res.writeHead(ok ? 200 : 401).end();
  });
}).listen(0, '127.0.0.1', function () { process.stderr.write('Ready: listening on http://127.0.0.1:' + this.address().port + '/. \\n'); });
`;

function startProcess(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/listening on (http:\/\/\S+?)[.,;]? /);
      if (m) resolve({ child, url: new URL(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

function peakRssMb(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function benchListen(bin, env, { total = 5000, rounds = 3 } = {}) {
  const listen = await startProcess([bin, 'webhooks', 'listen', '--port', '0', '--json'], {
    ...env,
    ANCHOR_WEBHOOK_SECRET: SECRET,
  });
  const bare = await startProcess(['-e', BARE], { ...env, SECRET });
  const rates = { listen: [], bare: [] };
  try {
    await load(listen.url, 500, 50, 'warm-l');
    await load(bare.url, 500, 50, 'warm-b');
    for (let r = 0; r < rounds; r++) {
      rates.listen.push(await load(listen.url, total, 50, `l${r}`));
      rates.bare.push(await load(bare.url, total, 50, `b${r}`));
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    return { listen: median(rates.listen), bare: median(rates.bare), rssMb: peakRssMb(listen.child.pid) };
  } finally {
    listen.child.kill('SIGINT');
    bare.child.kill('SIGTERM');
  }
}

/** 1,000 real events, each fanned out to a webhook whose local receiver verifies the signature. */
export async function benchFanOut(bin, env, { events = 1000 } = {}) {
  const emulator = spawn(
    process.execPath,
    [bin, 'emulator', '--port', '0', '--allow-local-targets', '--retry-delays', '100ms'],
    { env, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const url = await new Promise((resolve) => createInterface({ input: emulator.stdout }).once('line', resolve));
  let verified = 0;
  let rejected = 0;
  let secret = '';
  let done;
  const finished = new Promise((r) => (done = r));
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const t = req.headers['anchor-timestamp'];
      const v1 = String(req.headers['anchor-signature'])
        .split(',')
        .filter((p) => p.startsWith('v1='))
        .map((p) => p.slice(3));
      const expected = createHmac('sha256', secret).update(`v0:${t}:`).update(body).digest('hex');
      const ok = v1.some((v) => v.length === expected.length && timingSafeEqual(Buffer.from(v), Buffer.from(expected)));
      if (ok) verified++;
      else rejected++;
      res.writeHead(ok ? 200 : 401).end();
      if (verified === events) done();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const headers = { 'anchor-api-key': 'bench-key', 'content-type': 'application/json' };
  try {
    const created = await fetch(`${url}/v1/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        url: `http://127.0.0.1:${receiver.address().port}/`,
        subscribed_events: ['task.completed'],
      }),
    });
    secret = (await created.json()).secret;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
    const start = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < events) {
          next++;
          await post(agent, new URL(`${url}/_emulator/events`), '{"type":"task.completed"}', headers);
        }
      }),
    );
    await finished;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    agent.destroy();
    if (rejected) throw new Error(`${rejected} deliveries failed verification`);
    return { perSecond: events / seconds, seconds };
  } finally {
    receiver.close();
    emulator.kill('SIGINT');
  }
}

/** Valid deliveries timed one by one while `startAttack` (scripts/attack.mjs) hammers the same listener. */
export async function benchListenUnderAttack(bin, env, { total = 5000 } = {}) {
  const { startAttack, timedLoad } = await import('./attack.mjs');
  const listen = await startProcess([bin, 'webhooks', 'listen', '--port', '0', '--json'], {
    ...env,
    ANCHOR_WEBHOOK_SECRET: SECRET,
  });
  try {
    const calm = await timedLoad(listen.url.toString(), SECRET, { total, tag: 'calm' });
    const attack = startAttack(listen.url.toString(), { badSenders: 8, idleSockets: 500, slowSockets: 20 });
    while ((attack.stats.badStatuses['401'] ?? 0) < 16) await new Promise((r) => setTimeout(r, 10));
    const attacked = await timedLoad(listen.url.toString(), SECRET, { total, tag: 'attacked' });
    const stats = await attack.stop();
    const lost = total - (attacked.statuses['200'] ?? 0);
    return { calm, attacked, stats, lost, rssMb: peakRssMb(listen.child.pid) };
  } finally {
    listen.child.kill('SIGINT');
  }
}
