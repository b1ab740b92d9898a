// `npm run demo`: the offline tour. Starts the emulator and a local receiver, then runs each step
// through the built binary exactly as a user would type it, printing the command before its output.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'anchor.cjs');
const home = mkdtempSync(join(tmpdir(), 'anchor-demo-'));
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[22m` : s);

// A throwaway config folder, and no settings of the user's own leak in.
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
for (const k of Object.keys(env)) if (k.startsWith('ANCHOR')) delete env[k];

function startEmulator() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'emulator', '--port', '0', '--allow-local-targets', '--retry-delays', '200ms'], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    createInterface({ input: child.stdout }).once('line', (url) => resolve({ child, url }));
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
}

function startReceiver() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('ok'));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function step(title, args, input) {
  console.log(`\n${bold(`# ${title}`)}`);
  console.log(bold(`$ anchor ${args.map((a) => (/[\s"$]/.test(a) ? `'${a}'` : a)).join(' ')}`));
  const r = spawnSync(process.execPath, [bin, ...args], { env, input, stdio: ['pipe', 'inherit', 'inherit'] });
  if (r.status !== 0) console.log(`(exit ${r.status})`);
  return r.status;
}

const { child, url } = await startEmulator();
const receiver = await startReceiver();
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hooks`;
env.ANCHOR_API_URL = url;
env.ANCHOR_ALLOW_LOCAL_TARGETS = '1';
env.ANCHOR_API_KEY = 'demo-key';
console.log(bold('anchor demo: everything runs offline, against `anchor emulator` on loopback'));
console.log(`emulator: ${url}   receiver: ${receiverUrl}`);

let failed = 0;
try {
  const steps = JSON.parse(readFileSync(new URL('./demo-steps.json', import.meta.url), 'utf8'));
  for (const s of steps) {
    const args = s.args.map((a) => a.replace('$RECEIVER', receiverUrl).replace('$HOME', home));
    const code = step(s.title, args);
    if (code !== (s.expect ?? 0)) failed++;
  }
} finally {
  child.kill('SIGINT');
  receiver.close();
  rmSync(home, { recursive: true, force: true });
}
console.log(failed ? `\n${failed} step(s) did not end as expected.` : `\n${bold('Demo finished: every step ended as expected.')}`);
process.exitCode = failed ? 1 : 0;
