// `npm run bench`: startup cost of `anchor` as ratios against `node -e 0`, medians of many runs
// taken in the same run, interleaved so machine noise hits both sides alike. NODE_EXTRA_CA_CERTS
// is unset for both (users don't have it; it adds ~50 ms to every Node start).
// A benchmark, not a test: it prints and saves a table and always exits 0.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { benchFanOut, benchListen, benchListenUnderAttack } from './bench-throughput.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/anchor.cjs`;
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
for (const k of Object.keys(env)) if (k.startsWith('ANCHOR')) delete env[k];

// An emulator on loopback for the commands that talk to the API.
const emulator = spawn(process.execPath, [bin, 'emulator', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
const emulatorUrl = await new Promise((resolve) => createInterface({ input: emulator.stdout }).once('line', resolve));
const apiEnv = { ...env, ANCHOR_API_URL: emulatorUrl, ANCHOR_API_KEY: 'bench-key', XDG_CONFIG_HOME: '/nonexistent-anchor-bench' };
await fetch(`${emulatorUrl}/v1/webhooks`, {
  method: 'POST',
  headers: { 'anchor-api-key': 'bench-key' },
  body: JSON.stringify({ url: 'https://hooks.example.com/bench', subscribed_events: ['task.completed'] }),
});

const cases = [
  { name: '`anchor --version`', args: [bin, '--version'], target: 1.3 },
  { name: '`anchor --help`', args: [bin, '--help'], target: 1.8 },
  { name: '`anchor webhooks list --json` (emulator on loopback)', args: [bin, 'webhooks', 'list', '--json'], target: 2.5, env: apiEnv },
  { name: '`anchor events list --json`', args: [bin, 'events', 'list', '--json'], target: 2.0 },
  { name: 'a completion query (`anchor __complete webhooks create --event task.`)', args: [bin, '__complete', 'webhooks', 'create', '--event', 'task.'], target: 2.0 },
];

function time(args, runEnv = env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env: runEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Warm the file cache first.
for (const c of cases) time(c.args, c.env);
time(['-e', '0']);

const baseline = [];
const samples = cases.map(() => []);
for (let i = 0; i < RUNS; i++) {
  baseline.push(time(['-e', '0']));
  cases.forEach((c, j) => samples[j].push(time(c.args, c.env)));
}
const base = median(baseline);
const rows = cases.map((c, j) => {
  const m = median(samples[j]);
  const ratio = m / base;
  return { measurement: c.name, median_ms: +m.toFixed(1), ratio: +ratio.toFixed(2), target: c.target, met: ratio <= c.target };
});

const lines = [
  `node ${process.version}, ${RUNS} runs each, interleaved; baseline \`node -e 0\` median ${base.toFixed(1)} ms`,
  '',
  '| measurement | median ms | ratio to node -e 0 | target | met |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.measurement} | ${r.median_ms} | ${r.ratio}× | ≤ ${r.target}× | ${r.met ? 'yes' : 'NO'} |`),
];
emulator.kill('SIGINT');

const listen = await benchListen(bin, env, { total: Number(process.env.BENCH_DELIVERIES ?? 5000) });
const listenRatio = listen.listen / listen.bare;
const attacked = await benchListenUnderAttack(bin, env, { total: Number(process.env.BENCH_DELIVERIES ?? 5000) });
const fan = await benchFanOut(bin, env);
const more = [
  { measurement: '`webhooks listen`: verified deliveries/s, 50 senders, vs a bare node:http server with the same HMAC check', value: `${Math.round(listen.listen)}/s vs ${Math.round(listen.bare)}/s = ${listenRatio.toFixed(2)}×`, target: '≥ 0.7×', met: listenRatio >= 0.7 },
  { measurement: '`webhooks listen` peak RSS', value: `${listen.rssMb.toFixed(1)} MB`, target: '≤ 100 MB', met: listen.rssMb <= 100 },
  {
    measurement: `\`webhooks listen\` under attack (8 senders of bad signatures on 1 MiB bodies, 500 idle sockets, 20 slow-header sockets): valid deliveries from 50 senders`,
    value: `${Math.round(attacked.attacked.perSecond)}/s (calm: ${Math.round(attacked.calm.perSecond)}/s), p99 ${attacked.attacked.p99.toFixed(0)} ms, worst ${attacked.attacked.max.toFixed(0)} ms, ${attacked.lost} lost; ${attacked.stats.badRequests} bad requests refused; peak RSS ${attacked.rssMb.toFixed(0)} MB`,
    target: 'every delivery ≤ 2,000 ms, none lost',
    met: attacked.attacked.max <= 2000 && attacked.lost === 0,
  },
  { measurement: 'emulator fan-out: 1,000 events delivered and verified by a local receiver', value: `${Math.round(fan.perSecond)} deliveries/s (${fan.seconds.toFixed(2)} s)`, target: '≥ 500/s', met: fan.perSecond >= 500 },
];
lines.push('', '| throughput | measured | target | met |', '|---|---|---|---|', ...more.map((r) => `| ${r.measurement} | ${r.value} | ${r.target} | ${r.met ? 'yes' : 'NO'} |`));
rows.push(...more);
console.log(lines.join('\n'));
mkdirSync(`${root}bench-results`, { recursive: true });
writeFileSync(`${root}bench-results/startup.md`, `${lines.join('\n')}\n`);
writeFileSync(`${root}bench-results/startup.json`, JSON.stringify({ node: process.version, runs: RUNS, baseline_ms: base, rows }, null, 2));
