// Throughput benchmarks for `npm run bench`: `anchor webhooks listen` against a bare node:http
// server doing the same HMAC check (50 concurrent senders, same run, alternating rounds), `listen`
// against another build of it (`--against`), and the emulator's fan-out of 1,000 events to a
// local receiver that verifies every delivery.
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  // The same listener with the delivery record (the default) and without it, and the bare verifier.
  const stateDir = mkdtempSync(join(tmpdir(), 'anchor-bench-state-'));
  const listenEnv = { ...env, ANCHOR_WEBHOOK_SECRET: SECRET, ANCHOR_STATE_DIR: stateDir };
  const recorded = await startProcess([bin, 'webhooks', 'listen', '--port', '0', '--json'], listenEnv);
  const unrecorded = await startProcess([bin, 'webhooks', 'listen', '--port', '0', '--json', '--no-record'], listenEnv);
  const bare = await startProcess(['-e', BARE], { ...env, SECRET });
  const rates = { listen: [], noRecord: [], bare: [] };
  try {
    await load(recorded.url, 500, 50, 'warm-r');
    await load(unrecorded.url, 500, 50, 'warm-u');
    await load(bare.url, 500, 50, 'warm-b');
    for (let r = 0; r < rounds; r++) {
      rates.listen.push(await load(recorded.url, total, 50, `l${r}`));
      rates.noRecord.push(await load(unrecorded.url, total, 50, `u${r}`));
      rates.bare.push(await load(bare.url, total, 50, `b${r}`));
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    return {
      listen: median(rates.listen),
      noRecord: median(rates.noRecord),
      bare: median(rates.bare),
      rssMb: peakRssMb(recorded.child.pid),
    };
  } finally {
    recorded.child.kill('SIGINT');
    unrecorded.child.kill('SIGINT');
    bare.child.kill('SIGTERM');
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/**
 * `listen` with the record (the default) on this build and on another one (`--against`), started
 * side by side and loaded in alternating rounds (ABBA…), so the machine's drift hits both alike.
 * Resolves with the median rate of each, and every round's.
 */
export async function benchListenAgainst(bin, otherBin, env, { total = 5000, rounds = 6 } = {}) {
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'anchor-bench-state-')));
  const start = (b, dir) =>
    startProcess([b, 'webhooks', 'listen', '--port', '0', '--json'], {
      ...env,
      ANCHOR_WEBHOOK_SECRET: SECRET,
      ANCHOR_STATE_DIR: dir,
    });
  const after = await start(bin, dirs[0]);
  const before = await start(otherBin, dirs[1]);
  const rates = { after: [], before: [] };
  try {
    const warm = Math.min(500, total);
    await load(after.url, warm, 50, 'warm-a');
    await load(before.url, warm, 50, 'warm-b');
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ['after', 'before'] : ['before', 'after'];
      for (const side of order)
        rates[side].push(await load((side === 'after' ? after : before).url, total, 50, `${side}${r}`));
    }
    const median = (xs) => {
      const s = [...xs].sort((a, b) => a - b);
      const m = s.length >> 1;
      return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
    };
    return { after: median(rates.after), before: median(rates.before), rounds: rates };
  } finally {
    after.child.kill('SIGINT');
    before.child.kill('SIGINT');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
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
  const stateDir = mkdtempSync(join(tmpdir(), 'anchor-bench-state-'));
  const listen = await startProcess([bin, 'webhooks', 'listen', '--port', '0', '--json'], {
    ...env,
    ANCHOR_WEBHOOK_SECRET: SECRET,
    ANCHOR_STATE_DIR: stateDir,
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
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/**
 * A delivery record of `n` verified, forwarded requests, written as `listen` writes it (segments of
 * 250), for the benchmarks that need a full record on disk.
 */
export function writeRecords(stateDir, n) {
  const dir = join(stateDir, 'record');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = Date.now();
  let lines = [];
  let part = 0;
  const flush = () => {
    part++;
    writeFileSync(join(dir, `seg-${(now - n + part).toString(36).padStart(9, '0')}-1-${part}.ndjson`), lines.join(''), {
      mode: 0o600,
    });
    lines = [];
  };
  for (let i = 0; i < n; i++) {
    const id = `evt_${i.toString(16).padStart(24, '0')}`;
    const body = JSON.stringify({
      id,
      type: 'task.completed',
      created: new Date(now).toISOString(),
      project_id: 'p',
      text: 'done',
      data: {
        task_id: `tsk_${i}`,
        status: 'completed',
        duration_ms: 4200,
        output: { order_id: 'A-1', total: '49.90 EUR' },
      },
    });
    const t = Math.floor(now / 1000);
    const rid = `rec_${(now - n + i).toString(36).padStart(9, '0')}${(i % 46656).toString(36).padStart(3, '0')}00`;
    lines.push(
      `${JSON.stringify({ k: 'req', id: rid, received_at: new Date(now - (n - i)).toISOString(), method: 'POST', path: '/', headers: { 'content-type': 'application/json', 'anchor-event': 'task.completed', 'anchor-timestamp': String(t), 'anchor-signature': `t=${t},v1=${'0'.repeat(64)}` }, body_b64: Buffer.from(body).toString('base64'), verdict: 'ok', status: 0, event_type: 'task.completed', event_id: id, delivery_id: `d-${i}` })}\n`,
      `${JSON.stringify({ k: 'fwd', id: rid, url: 'http://127.0.0.1:3000/hooks', status: 200, latency_ms: 1.2, response_body: 'ok' })}\n`,
    );
    if (lines.length >= 500) flush();
  }
  if (lines.length) flush();
}

/** Peak RSS of a recording `listen` under load, started with `onDisk` requests already recorded. */
export async function benchRecordRss(bin, env, { onDisk = 100_000, total = 5000 } = {}) {
  const stateDir = mkdtempSync(join(tmpdir(), 'anchor-bench-full-'));
  try {
    writeRecords(stateDir, onDisk);
    const listen = await startProcess([bin, 'webhooks', 'listen', '--port', '0', '--json'], {
      ...env,
      ANCHOR_WEBHOOK_SECRET: SECRET,
      ANCHOR_STATE_DIR: stateDir,
    });
    try {
      const rate = await load(listen.url, total, 50, 'full');
      return { rate, rssMb: peakRssMb(listen.child.pid) };
    } finally {
      listen.child.kill('SIGINT');
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}
