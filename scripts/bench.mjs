// `npm run bench`: startup cost of `anchor` as ratios against `node empty.cjs` (Node starting an
// empty CommonJS file, as the binary is one), medians of many runs
// taken in the same run, interleaved so machine noise hits both sides alike. NODE_EXTRA_CA_CERTS
// is unset for both (users don't have it; it adds ~50 ms to every Node start).
// With dist/bin/anchor-linux-x64 built, the single executable's rows follow (bench-binary.mjs).
// A benchmark, not a test: it prints and saves a table and always exits 0.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  benchFanOut,
  benchListen,
  benchListenAgainst,
  benchListenUnderAttack,
  benchRecordRss,
  writeRecords,
} from './bench-throughput.mjs';
import { benchBinaryLines, builtBinaries } from './bench-binary.mjs';
import { nodeLines } from './node-lines.mjs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/anchor.cjs`;
// `--against <checkout>`: the same start-up cases, and `listen`'s throughput with the record,
// timed on another built checkout (its bin/anchor.cjs), interleaved with these in the same run,
// for a before/after table that the machine's drift between two runs cannot skew.
// `--startup-only` skips the throughput part; `--listen-only` (with `--against`) runs only the
// `listen` before/after comparison. `--deliveries <n>` (env BENCH_DELIVERIES, default 5,000) is
// the deliveries per throughput round, `--rounds <n>` (default 6) the rounds of the comparison:
// small values make a quick check of the harness, not a figure.
const argv = process.argv.slice(2);
function option(name) {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (!value || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}
function count(name, fallback) {
  const value = option(name) ?? fallback;
  if (!/^[1-9]\d*$/.test(String(value))) throw new Error(`${name} must be a whole number above 0, not ${value}`);
  return Number(value);
}
const againstRoot = option('--against');
const otherBin = againstRoot ? join(againstRoot, 'bin', 'anchor.cjs') : undefined;
const startupOnly = argv.includes('--startup-only');
const listenOnly = argv.includes('--listen-only');
if (listenOnly && !otherBin) throw new Error('--listen-only compares two builds: give --against <checkout>');
const deliveries = count('--deliveries', process.env.BENCH_DELIVERIES ?? 5000);
const rounds = count('--rounds', 6);
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
for (const k of Object.keys(env)) if (k.startsWith('ANCHOR')) delete env[k];

/** The `listen` before/after row: deliveries/s with the record, both builds, alternating rounds. */
async function listenAgainstRow() {
  const r = await benchListenAgainst(bin, otherBin, env, { total: deliveries, rounds });
  const change = r.after / r.before - 1;
  return {
    measurement: `\`webhooks listen\` with the record: verified deliveries/s, 50 senders, ${againstRoot} (before) vs this checkout (after), ${rounds} alternating rounds of ${deliveries}`,
    value: `${Math.round(r.before)}/s → ${Math.round(r.after)}/s = ${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}% (rounds before: ${r.rounds.before.map(Math.round).join(', ')}; after: ${r.rounds.after.map(Math.round).join(', ')})`,
    target: 'within 5% of before',
    met: change >= -0.05,
  };
}
if (listenOnly) {
  const row = await listenAgainstRow();
  console.log(
    `| throughput | measured | target | met |\n|---|---|---|---|\n| ${row.measurement} | ${row.value} | ${row.target} | ${row.met ? 'yes' : 'NO'} |`,
  );
  process.exit(0);
}

// An emulator on loopback for the commands that talk to the API.
const emulator = spawn(process.execPath, [bin, 'emulator', '--port', '0'], {
  env,
  stdio: ['ignore', 'pipe', 'ignore'],
});
const emulatorUrl = await new Promise((resolve) => createInterface({ input: emulator.stdout }).once('line', resolve));
const apiEnv = {
  ...env,
  ANCHOR_API_URL: emulatorUrl,
  ANCHOR_API_KEY: 'bench-key',
  XDG_CONFIG_HOME: '/nonexistent-anchor-bench',
};
await fetch(`${emulatorUrl}/v1/webhooks`, {
  method: 'POST',
  headers: { 'anchor-api-key': 'bench-key' },
  body: JSON.stringify({ url: 'https://hooks.example.com/bench', subscribed_events: ['task.completed'] }),
});

// Folders for the cases' files, removed when the bench ends.
const scratchDirs = [];
process.on('exit', () => scratchDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function scratch(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

// A signed delivery on disk for `verify`: valid for the whole run (tolerance a day either way).
function verifyArgs() {
  const dir = scratch('anchor-bench-');
  const secret = 'whsec_bench_only_not_a_real_secret';
  const body = JSON.stringify({ id: 'evt_bench', type: 'task.completed', data: {} });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`v0:${t}:`).update(body).digest('hex');
  writeFileSync(join(dir, 'body.json'), body);
  writeFileSync(join(dir, 'secret'), secret, { mode: 0o600 });
  return (b) => [
    b,
    'webhooks',
    'verify',
    '--signature',
    `t=${t},v1=${v1}`,
    '--tolerance',
    '86400',
    '--payload',
    join(dir, 'body.json'),
    '--secret-file',
    join(dir, 'secret'),
  ];
}

// A full delivery record (the 1,000 requests retention keeps), for `received`.
function fullRecord() {
  const dir = scratch('anchor-bench-record-');
  writeRecords(dir, 1000);
  return dir;
}

// The baseline: an empty file, loaded as the binary is (a CommonJS file from disk). `node -e 0`
// also sets up the eval path, so it starts slower than that (3% on a quiet Node 20, issue 24),
// which flattered every ratio.
const emptyScript = join(scratch('anchor-bench-empty-'), 'empty.cjs');
writeFileSync(emptyScript, '');
const BASELINE = '`node empty.cjs`';

// The targets of issue 24 (set for Node 20, where starting is slowest) for help, the two lists and
// create; the others' are older.
const cases = [
  { name: '`anchor --version`', args: (b) => [b, '--version'], target: 1.3 },
  { name: '`anchor --help`', args: (b) => [b, '--help'], target: 1.3 },
  // The other cases write to /dev/null, a character device that bin/ knows is no terminal; a pipe
  // is the other way help's output is read without one.
  { name: '`anchor --help`, read through a pipe', args: (b) => [b, '--help'], target: 1.3, stdout: 'pipe' },
  {
    name: '`anchor webhooks list --json` (emulator on loopback)',
    args: (b) => [b, 'webhooks', 'list', '--json'],
    target: 1.8,
    env: apiEnv,
  },
  { name: '`anchor events list --json`', args: (b) => [b, 'events', 'list', '--json'], target: 1.5 },
  {
    name: '`anchor webhooks create --dry-run --json` (flags parsed and checked, nothing sent)',
    args: (b) => [
      b,
      'webhooks',
      'create',
      '--url',
      'https://hooks.example.com/a',
      '--event',
      'task.completed',
      '--dry-run',
      '--json',
    ],
    target: 1.8,
    env: apiEnv,
  },
  {
    name: '`anchor webhooks verify` (offline, a valid delivery)',
    args: verifyArgs(),
    target: 2.0,
  },
  {
    name: '`anchor webhooks received --json` over a full record (1,000 requests)',
    args: (b) => [b, 'webhooks', 'received', '--json', '--limit', '1000'],
    target: 3.0,
    env: { ...env, ANCHOR_STATE_DIR: fullRecord() },
  },
  {
    name: 'a completion query (`anchor __complete webhooks create --event task.`)',
    args: (b) => [b, '__complete', 'webhooks', 'create', '--event', 'task.'],
    target: 2.0,
  },
];

/** Whether a command line succeeds (a case the other build lacks is left out of its column). */
function works(args, runEnv = env, node = process.execPath) {
  return spawnSync(node, args, { env: runEnv, stdio: 'ignore' }).status === 0;
}

/** `stdout: 'pipe'`: read through a pipe, as a script or an agent reads it (else /dev/null). */
function time(args, runEnv = env, node = process.execPath, stdout = 'ignore') {
  const start = process.hrtime.bigint();
  const r = spawnSync(node, args, { env: runEnv, stdio: ['ignore', stdout, 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// A column per Node line (this one, and each one installed by `node scripts/node-lines.mjs install`);
// and a second column with the compile cache turned off (Node's own on 22 and later, bin/'s on 20),
// to show what it changes. Every ratio is against `node empty.cjs` of the same Node, in the same run.
const columns = nodeLines().flatMap((l) => [
  { label: `node ${l.major}`, line: l, env: {} },
  { label: `node ${l.major}, no compile cache`, line: l, env: { NODE_DISABLE_COMPILE_CACHE: '1' } },
]);
const builds = [{ bin, cells: 'cells' }, ...(otherBin ? [{ bin: otherBin, cells: 'against' }] : [])];
const results = columns.map((col) => {
  const withEnv = (e) => ({ ...(e ?? env), ...col.env });
  // Warm the file cache (and the compile cache) first; a case the other build cannot run is skipped.
  const runs = builds.map((b) => cases.map((c) => b.bin === bin || works(c.args(b.bin), withEnv(c.env), col.line.bin)));
  builds.forEach((b, k) =>
    cases.forEach((c, j) => runs[k][j] && time(c.args(b.bin), withEnv(c.env), col.line.bin, c.stdout)),
  );
  time([emptyScript], withEnv(), col.line.bin);
  const baseline = [];
  const samples = builds.map(() => cases.map(() => []));
  for (let i = 0; i < RUNS; i++) {
    baseline.push(time([emptyScript], withEnv(), col.line.bin));
    cases.forEach((c, j) =>
      builds.forEach(
        (b, k) => runs[k][j] && samples[k][j].push(time(c.args(b.bin), withEnv(c.env), col.line.bin, c.stdout)),
      ),
    );
  }
  const base = median(baseline);
  const cellsOf = (k) => cases.map((c, j) => ({ ms: median(samples[k][j]), ratio: median(samples[k][j]) / base }));
  return { ...col, base, cells: cellsOf(0), ...(otherBin ? { against: cellsOf(1) } : {}) };
});
const first = results[0];
const base = first.base;
const rows = cases.map((c, j) => {
  const r = first.cells[j];
  return {
    measurement: c.name,
    median_ms: +r.ms.toFixed(1),
    ratio: +r.ratio.toFixed(2),
    target: c.target,
    met: r.ratio <= c.target,
    by_line: Object.fromEntries(
      results.map((col) => [
        col.label,
        { version: col.line.version, median_ms: +col.cells[j].ms.toFixed(1), ratio: +col.cells[j].ratio.toFixed(2) },
      ]),
    ),
  };
});

const lines = [
  `${RUNS} runs each, interleaved per Node line; ratios against ${BASELINE} (an empty file) of the same Node (${results.map((r) => `${r.label}: ${r.line.version}, baseline ${r.base.toFixed(1)} ms`).join('; ')})`,
  '',
  `| measurement | target | ${results.map((r) => r.label).join(' | ')} | met on every line |`,
  `|---|---|${results.map(() => '---|').join('')}---|`,
  ...cases.map((c, j) => {
    const met = results.filter((r) => !r.env.NODE_DISABLE_COMPILE_CACHE).every((r) => r.cells[j].ratio <= c.target);
    return `| ${c.name} | ≤ ${c.target}× | ${results.map((r) => `${r.cells[j].ratio.toFixed(2)}× (${r.cells[j].ms.toFixed(0)} ms)`).join(' | ')} | ${met ? 'yes' : 'NO'} |`;
  }),
];
if (otherBin) {
  const cell = (x) => (Number.isNaN(x.ms) ? '—' : `${x.ratio.toFixed(2)}× (${x.ms.toFixed(0)} ms)`);
  lines.push(
    '',
    `The same cases on ${againstRoot} (before), timed in the same run, interleaved with the ones above (after); ratios against the same ${BASELINE}:`,
    '',
    `| measurement | ${results.map((r) => `${r.label}: before → after`).join(' | ')} | after ÷ before, per line |`,
    `|---|${results.map(() => '---|').join('')}---|`,
    ...cases.map((c, j) => {
      const measured = results.filter((r) => !Number.isNaN(r.against[j].ms));
      const change = measured.map((r) => r.cells[j].ms / r.against[j].ms);
      const span = change.length === 0 ? '—' : `${Math.min(...change).toFixed(2)}–${Math.max(...change).toFixed(2)}`;
      return `| ${c.name} | ${results.map((r) => `${cell(r.against[j])} → ${cell(r.cells[j])}`).join(' | ')} | ${span} |`;
    }),
  );
}
// The single executable and the Node SEA candidate (`npm run bench` builds both first) beside the package.
if (builtBinaries().length > 0)
  lines.push('', ...benchBinaryLines({ binaries: builtBinaries(), env, apiEnv, runs: RUNS }));
emulator.kill('SIGINT');
if (startupOnly) {
  console.log(lines.join('\n'));
  process.exit(0);
}

const listen = await benchListen(bin, env, { total: deliveries });
const listenRatio = listen.listen / listen.bare;
const recordCost = 1 - listen.listen / listen.noRecord;
const full = await benchRecordRss(bin, env, { total: deliveries });
const receivedAt = cases.findIndex((c) => c.name.startsWith('`anchor webhooks received'));
const eventsAt = cases.findIndex((c) => c.name.startsWith('`anchor events list'));
const receivedVsEvents = first.cells[receivedAt].ms / first.cells[eventsAt].ms;
const attacked = await benchListenUnderAttack(bin, env, { total: deliveries });
const fan = await benchFanOut(bin, env);
const more = [
  {
    measurement:
      '`webhooks listen`: verified deliveries/s, 50 senders, vs a bare node:http server with the same HMAC check',
    value: `${Math.round(listen.listen)}/s vs ${Math.round(listen.bare)}/s = ${listenRatio.toFixed(2)}×`,
    target: '≥ 0.7×',
    met: listenRatio >= 0.7,
  },
  {
    measurement: '`webhooks listen`: what recording every request costs (with the record vs `--no-record`, same run)',
    value: `${Math.round(listen.listen)}/s vs ${Math.round(listen.noRecord)}/s = ${(recordCost * 100).toFixed(1)}% slower`,
    target: '≤ 15%',
    met: recordCost <= 0.15,
  },
  {
    measurement: '`webhooks listen` peak RSS, recording, with 100,000 requests already on disk',
    value: `${full.rssMb.toFixed(1)} MB (${Math.round(full.rate)}/s)`,
    target: '≤ 100 MB',
    met: full.rssMb <= 100,
  },
  {
    measurement: '`webhooks received --json` over a full record vs `events list --json` (medians, this Node)',
    value: `${first.cells[receivedAt].ms.toFixed(0)} ms vs ${first.cells[eventsAt].ms.toFixed(0)} ms = ${receivedVsEvents.toFixed(2)}×`,
    target: '≤ 1.5×',
    met: receivedVsEvents <= 1.5,
  },
  {
    measurement: '`webhooks listen` peak RSS',
    value: `${listen.rssMb.toFixed(1)} MB`,
    target: '≤ 100 MB',
    met: listen.rssMb <= 100,
  },
  {
    measurement: `\`webhooks listen\` under attack (8 senders of bad signatures on 1 MiB bodies, 500 idle sockets, 20 slow-header sockets): valid deliveries from 50 senders`,
    value: `${Math.round(attacked.attacked.perSecond)}/s (calm: ${Math.round(attacked.calm.perSecond)}/s), p99 ${attacked.attacked.p99.toFixed(0)} ms, worst ${attacked.attacked.max.toFixed(0)} ms, ${attacked.lost} lost; ${attacked.stats.badRequests} bad requests refused; peak RSS ${attacked.rssMb.toFixed(0)} MB`,
    target: 'every delivery ≤ 2,000 ms, none lost',
    met: attacked.attacked.max <= 2000 && attacked.lost === 0,
  },
  {
    measurement: 'emulator fan-out: 1,000 events delivered and verified by a local receiver',
    value: `${Math.round(fan.perSecond)} deliveries/s (${fan.seconds.toFixed(2)} s)`,
    target: '≥ 500/s',
    met: fan.perSecond >= 500,
  },
];
if (otherBin) more.push(await listenAgainstRow());
lines.push(
  '',
  '| throughput | measured | target | met |',
  '|---|---|---|---|',
  ...more.map((r) => `| ${r.measurement} | ${r.value} | ${r.target} | ${r.met ? 'yes' : 'NO'} |`),
);
rows.push(...more);
console.log(lines.join('\n'));
mkdirSync(`${root}bench-results`, { recursive: true });
writeFileSync(`${root}bench-results/startup.md`, `${lines.join('\n')}\n`);
writeFileSync(
  `${root}bench-results/startup.json`,
  JSON.stringify({ node: process.version, runs: RUNS, baseline: 'node empty.cjs', baseline_ms: base, rows }, null, 2),
);
