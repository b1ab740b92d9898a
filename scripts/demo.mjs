// `npm run demo`: the offline tour. Starts the emulator and a local receiver, then runs each step
// through the built binary exactly as a user would type it, printing the command before its output.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'anchor.cjs');
const home = mkdtempSync(join(tmpdir(), 'anchor-demo-'));
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[22m` : s);

// Throwaway config and state folders (the demo's listener records its deliveries: they must not
// land in the user's record), and no settings of the user's own leak in (ANCHOR_STATE_DIR among them).
const env = {
  ...process.env,
  HOME: home,
  XDG_CONFIG_HOME: join(home, '.config'),
  XDG_STATE_HOME: join(home, '.local', 'state'),
};
for (const k of Object.keys(env)) if (k.startsWith('ANCHOR')) delete env[k];

function startEmulator() {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [bin, 'emulator', '--port', '0', '--allow-local-targets', '--retry-delays', '200ms'],
      {
        env,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    createInterface({ input: child.stdout }).once('line', (url) => resolve({ child, url }));
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
}

/** `anchor webhooks listen` in the background, resolved with its URL once it says it is ready. */
function startListen(secretFile) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'webhooks', 'listen', '--port', '0', '--secret-file', secretFile], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/listening on (http:\/\/\S+?)[,.;]? /);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`listen exited with ${code}: ${err}`)));
  });
}

function startReceiver() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('ok'));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let failed = 0;
/** Prints the command as a user would type it, runs it through the built binary, checks its exit code. */
// Asynchronous on purpose: the local receiver lives in this process and must keep answering.
async function step(title, args, { input, shown, expect = 0, capture = false, unset = [] } = {}) {
  console.log(`\n${bold(`# ${title}`)}`);
  const prefix = unset.map((name) => `env -u ${name} `).join('');
  console.log(bold(`$ ${shown ?? `${prefix}anchor ${args.map((a) => (/[\s"$*]/.test(a) ? `'${a}'` : a)).join(' ')}`}`));
  const stepEnv = { ...env };
  for (const name of unset) delete stepEnv[name];
  const child = spawn(process.execPath, [bin, ...args], {
    env: stepEnv,
    stdio: ['pipe', capture ? 'pipe' : 'inherit', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stdin.end(input ?? '');
  const status = await new Promise((resolve) => child.on('close', resolve));
  if (capture) process.stdout.write(stdout);
  if (status !== expect) {
    failed++;
    console.log(`(exit ${status}, expected ${expect})`);
  } else if (expect !== 0) {
    console.log(`(exit ${status}, as expected)`);
  }
  return stdout;
}

const { child, url } = await startEmulator();
const receiver = await startReceiver();
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hooks`;
env.ANCHOR_API_URL = url;
env.ANCHOR_ALLOW_LOCAL_TARGETS = '1';
console.log(bold('anchor demo: everything runs offline, against `anchor emulator` on loopback'));
console.log(`emulator: ${url} (ANCHOR_API_URL, ANCHOR_ALLOW_LOCAL_TARGETS=1)   local receiver: ${receiverUrl}`);

try {
  await step('Which version is this?', ['--version']);
  await step(
    'Store an API key (the emulator accepts any; a real one comes from app.anchorbrowser.io)',
    ['auth', 'login', '--with-key'],
    {
      input: 'demo-key-0042',
      shown: 'printf %s "$ANCHOR_KEY" | anchor auth login --with-key',
    },
  );
  await step('Where does the key come from, and does the API accept it?', ['auth', 'status']);
  await step(
    "Bad input is caught before anything is sent: Anchor's URL rules (without the emulator's local-targets allowance)",
    ['webhooks', 'create', '--url', 'https://10.0.0.7/hooks', '--event', 'task.completed'],
    { expect: 2, unset: ['ANCHOR_ALLOW_LOCAL_TARGETS'] },
  );
  await step('Event types get a suggestion', ['webhooks', 'create', '--url', receiverUrl, '--event', 'task.complete'], {
    expect: 2,
  });
  await step('Preview the request without sending it', [
    'webhooks',
    'create',
    '--url',
    receiverUrl,
    '--event',
    'task.completed',
    '--dry-run',
  ]);
  const secretFile = join(home, 'anchor-secret');
  const created = await step(
    'Create a webhook; the signing secret goes to a new 0600 file, never to the screen',
    [
      'webhooks',
      'create',
      '--url',
      receiverUrl,
      '--event',
      'task.completed,task.failed',
      '--description',
      'demo receiver',
      '--secret-file',
      secretFile,
      '--json',
    ],
    { capture: true },
  );
  const id = JSON.parse(created).id;
  await step('List the webhooks', ['webhooks', 'list']);
  await step('Which events exist?', ['events', 'list']);
  await step('What does a task.failed look like?', ['events', 'show', 'task.failed']);
  await step('Prove the endpoint works: a signed test event, followed until delivered', [
    'webhooks',
    'test',
    id,
    '--event',
    'task.completed',
    '--wait',
    '--wait-timeout',
    '30',
  ]);
  await step('The delivery log', ['webhooks', 'deliveries', id]);
  const fixture = join(home, 'fixture.json');
  writeFileSync(fixture, '{"id":"evt_demo","type":"task.completed","text":"demo","data":{}}');
  await step('Sign a fixture with the secret file (for your own tests)', [
    'webhooks',
    'sign',
    '--payload',
    fixture,
    '--secret-file',
    secretFile,
  ]);
  const sig = JSON.parse(
    await step(
      '…as JSON, for scripts',
      ['webhooks', 'sign', '--payload', fixture, '--secret-file', secretFile, '--json'],
      { capture: true },
    ),
  ).headers['Anchor-Signature'];
  await step('Verify it offline', [
    'webhooks',
    'verify',
    '--signature',
    sig,
    '--payload',
    fixture,
    '--secret-file',
    secretFile,
  ]);
  const pretty = join(home, 'pretty.json');
  writeFileSync(pretty, JSON.stringify(JSON.parse(readFileSync(fixture, 'utf8')), null, 2));
  await step(
    'A pretty-printed body fails, and verify says why',
    ['webhooks', 'verify', '--signature', sig, '--payload', pretty, '--secret-file', secretFile],
    { expect: 6 },
  );
  await step('Send a signed sample event straight to a local endpoint', [
    'events',
    'trigger',
    'task.failed',
    '--forward-to',
    receiverUrl,
    '--secret-file',
    secretFile,
  ]);
  await step(
    'Is a receiver safe? One that answers 200 to everything fails the checks Anchor requires',
    [
      'webhooks',
      'check-receiver',
      receiverUrl,
      '--secret-file',
      secretFile,
      '--only',
      'accepts_valid,rejects_bad_signature,rejects_stale',
    ],
    { expect: 6 },
  );
  const listener = await startListen(secretFile);
  try {
    console.log(`\n(anchor webhooks listen --port 0 --secret-file ${secretFile} is running at ${listener.url})`);
    await step("anchor's own listener passes every check", [
      'webhooks',
      'check-receiver',
      listener.url,
      '--secret-file',
      secretFile,
    ]);
    await step('Play a scenario of linked events at it, with the chaos of at-least-once delivery', [
      'events',
      'trigger',
      '--scenario',
      'human-in-the-loop',
      '--chaos',
      'duplicate,reorder,stale,bad-signature',
      '--forward-to',
      listener.url,
      '--secret-file',
      secretFile,
    ]);
  } finally {
    listener.child.kill('SIGINT');
  }
  const file = join(home, 'anchor-webhooks.yaml');
  writeFileSync(
    file,
    await step('Webhooks as code: export the project as a file', ['webhooks', 'export'], { capture: true }),
  );
  await step('In CI: does the project still match the file?', ['webhooks', 'apply', '-f', file, '--check']);
  writeFileSync(
    file,
    `${readFileSync(file, 'utf8')}  - url: ${receiverUrl.replace('/hooks', '/alerts')}\n    events: [task.failed]\n`,
  );
  await step(
    'Someone adds a webhook to the file: --check fails (exit 6) and shows the plan',
    ['webhooks', 'apply', '-f', file, '--check'],
    {
      expect: 6,
    },
  );
  await step('Apply it; the new secret goes to a 0600 file, never to the log', [
    'webhooks',
    'apply',
    '-f',
    file,
    '--yes',
    '--secret-dir',
    join(home, 'secrets'),
  ]);
  await step('Inspect one', ['webhooks', 'get', id]);
  await step('Subscribe to one more event type', [
    'webhooks',
    'update',
    id,
    '--add-event',
    'session.failed',
    '--description',
    'demo receiver (tasks + sessions)',
  ]);
  await step('Pause deliveries', ['webhooks', 'disable', id]);
  await step('…and resume them', ['webhooks', 'enable', id]);
  await step('Rotate the secret (the old one keeps signing for 24 hours)', [
    'webhooks',
    'rotate-secret',
    id,
    '--yes',
    '--secret-file',
    join(home, 'anchor-secret-rotated'),
  ]);
  await step('Scripts read --json', ['webhooks', 'list', '--json'], { capture: true });
  await step('Delete it (without --yes, a terminal would ask first)', ['webhooks', 'delete', id, '--yes']);
  await step('Gone: not found is exit 5', ['webhooks', 'get', id], { expect: 5 });
} finally {
  child.kill('SIGINT');
  receiver.close();
  rmSync(home, { recursive: true, force: true });
}
console.log(
  failed ? `\n${failed} step(s) did not end as expected.` : `\n${bold('Demo finished: every step ended as expected.')}`,
);
process.exitCode = failed ? 1 : 0;
