// The single executable's rows of `npm run bench`: `--version`, `--help`, `events list --json` and
// `webhooks list --json` from dist/bin/anchor-linux-x64 (Bun's, shipped), from the Node SEA
// candidate dist/bin/anchor-linux-x64-node-sea when built, and from the npm package (bin/anchor.cjs
// on this Node), interleaved, as ratios against `node empty.cjs` of this Node in the same run; and
// each binary's size, raw and gzip-compressed. Alone, `node scripts/bench-binary.mjs [--runs n]
// [--binary <path>]...` starts an emulator and prints the table (a quick check: the full bench
// runs it with its own emulator and run count).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { BUN_VERSION } from './bun.mjs';
import { SEA_LINE } from './build-binary-sea.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
export const BINARY = join(root, 'dist', 'bin', 'anchor-linux-x64');
/** The other candidate (`npm run build:binary -- --runtime node`), measured beside it when built. */
export const SEA_CANDIDATE = join(root, 'dist', 'bin', 'anchor-linux-x64-node-sea');
const labelOf = (b) =>
  b === BINARY
    ? `single executable (Bun ${BUN_VERSION})`
    : b === SEA_CANDIDATE
      ? `Node ${SEA_LINE} SEA (candidate)`
      : basename(b);
/** The binaries of dist/bin that exist, the shipped one first. */
export const builtBinaries = () => [BINARY, SEA_CANDIDATE].filter((b) => existsSync(b));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function time(command, args, env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/**
 * The table's lines: a column for the package and one per binary (`binaries`: paths), each cell a
 * median over `runs` as a ratio against `node empty.cjs`, then each binary's size.
 */
export function benchBinaryLines({ binaries, env, apiEnv, runs }) {
  const scratch = mkdtempSync(join(tmpdir(), 'anchor-bench-binary-'));
  try {
    const empty = join(scratch, 'empty.cjs');
    writeFileSync(empty, '');
    const builds = [
      {
        label: `npm package (node ${process.versions.node.split('.')[0]})`,
        run: (a) => [process.execPath, [join(root, 'bin', 'anchor.cjs'), ...a]],
      },
      ...binaries.map((b) => ({ label: labelOf(b), run: (a) => [b, a] })),
    ];
    const cases = [
      { name: '`--version`', args: ['--version'], env },
      { name: '`--help`', args: ['--help'], env },
      { name: '`events list --json`', args: ['events', 'list', '--json'], env },
      { name: '`webhooks list --json` (emulator on loopback)', args: ['webhooks', 'list', '--json'], env: apiEnv },
    ];
    // Warm the file cache and each build's compile cache first.
    for (const b of builds) for (const c of cases) time(...b.run(c.args), c.env);
    const baseline = [];
    const samples = builds.map(() => cases.map(() => []));
    for (let i = 0; i < runs; i++) {
      baseline.push(time(process.execPath, [empty], env));
      builds.forEach((b, k) => cases.forEach((c, j) => samples[k][j].push(time(...b.run(c.args), c.env))));
    }
    const base = median(baseline);
    const cell = (xs) => `${(median(xs) / base).toFixed(2)}× (${median(xs).toFixed(0)} ms)`;
    const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
    return [
      `The single executable beside the npm package: ${runs} runs each, interleaved; ratios against \`node empty.cjs\` of ${process.version} (${base.toFixed(1)} ms)`,
      '',
      `| case | ${builds.map((b) => b.label).join(' | ')} |`,
      `|---|${builds.map(() => '---|').join('')}`,
      ...cases.map((c, j) => `| ${c.name} | ${builds.map((_, k) => cell(samples[k][j])).join(' | ')} |`),
      ...binaries.map((b) => {
        const bytes = readFileSync(b);
        return `| size of ${labelOf(b)}, raw / gzip -9 | ${mb(bytes.length)} / ${mb(gzipSync(bytes, { level: 9 }).length)} |`;
      }),
    ];
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** An emulator of the package on loopback with one webhook, and the environment that points at it. */
export async function startBenchEmulator(env) {
  const emulator = spawn(process.execPath, [join(root, 'bin', 'anchor.cjs'), 'emulator', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise((resolve) => createInterface({ input: emulator.stdout }).once('line', resolve));
  const apiEnv = {
    ...env,
    ANCHOR_API_URL: url,
    ANCHOR_API_KEY: 'bench-key',
    XDG_CONFIG_HOME: '/nonexistent-anchor-bench',
  };
  await fetch(`${url}/v1/webhooks`, {
    method: 'POST',
    headers: { 'anchor-api-key': 'bench-key' },
    body: JSON.stringify({ url: 'https://hooks.example.com/bench', subscribed_events: ['task.completed'] }),
  });
  return { apiEnv, stop: () => emulator.kill('SIGINT') };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, binary: { type: 'string', multiple: true } } });
  const binaries = values.binary ?? builtBinaries();
  for (const b of binaries) if (!existsSync(b)) throw new Error(`${b} does not exist: run \`npm run build:binary\``);
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  for (const k of Object.keys(env)) if (k.startsWith('ANCHOR')) delete env[k];
  const emulator = await startBenchEmulator(env);
  try {
    console.log(
      benchBinaryLines({ binaries, env, apiEnv: emulator.apiEnv, runs: Number(values.runs ?? 20) }).join('\n'),
    );
  } finally {
    emulator.stop();
  }
}
