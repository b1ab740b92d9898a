// `anchor webhooks listen --register` from the built binary, with real signals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, isolatedEnv, runBin, startBinEmulator, type BinEmulator } from '../helpers/bin.js';
import { freePort } from '../helpers/ports.js';

let emu: BinEmulator;
beforeAll(async () => {
  emu = await startBinEmulator(['--allow-local-targets', '--retry-delays', '20ms']);
});
afterAll(async () => {
  await emu.stop();
});

interface Listening {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function startListen(args: string[], env: Record<string, string>): Promise<Listening> {
  const child = spawn(process.execPath, [BIN, 'webhooks', 'listen', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  let exitCode: number | null | undefined;
  // 'close', not 'exit': by then everything the process wrote has been read.
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r((exitCode = code))));
  for (let i = 0; i < 500 && !err.includes('Ready') && exitCode === undefined; i++)
    await new Promise((r) => setTimeout(r, 20));
  if (!err.includes('Ready')) throw new Error(`listen did not start (exit ${exitCode}): ${err}`);
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function list(env: Record<string, string>) {
  return JSON.parse((await runBin(['webhooks', 'list', '--json'], { env })).stdout) as Array<{
    id: string;
    url: string;
    description: string | null;
  }>;
}

describe('listen --register', () => {
  it('creates a temporary webhook, receives with its secret, deletes it on SIGINT', async () => {
    const env = isolatedEnv({
      ANCHOR_API_URL: emu.url,
      ANCHOR_API_KEY: 'listen-register-key',
      ANCHOR_ALLOW_LOCAL_TARGETS: '1',
    });
    const port = await freePort();
    const l = await startListen(['--port', String(port), '--register', `http://127.0.0.1:${port}/`, '--json'], env);
    const hooks = await list(env);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.url).toBe(`http://127.0.0.1:${port}/`);
    expect(hooks[0]!.description).toMatch(/^anchor webhooks listen \(temporary\)/);
    const emitted = await fetch(`${emu.url}/_emulator/events`, {
      method: 'POST',
      headers: { 'anchor-api-key': 'listen-register-key', 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'intervention.requested' }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    for (let i = 0; i < 200 && !l.stdout().includes(emitted.id); i++) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(l.stdout().trim())).toMatchObject({ id: emitted.id, type: 'intervention.requested' });
    // The secret it used is never shown.
    expect(l.stdout() + l.stderr()).not.toMatch(/[0-9a-f]{64}/);
    l.child.kill('SIGINT');
    expect(await l.exited).toBe(0);
    expect(l.stderr()).toContain(`Deleted the temporary webhook ${hooks[0]!.id}`);
    expect(await list(env)).toEqual([]);
  });

  it('a run that crashed leaves its webhook; the next run points it out', async () => {
    const env = isolatedEnv({
      ANCHOR_API_URL: emu.url,
      ANCHOR_API_KEY: 'listen-crash-key',
      ANCHOR_ALLOW_LOCAL_TARGETS: '1',
    });
    // No deliveries here, so the registered URL need not be the local port: --port 0, no port race.
    const crashed = await startListen(['--port', '0', '--register', 'http://127.0.0.1:9/crashed'], env);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    const [left] = await list(env);
    expect(left).toBeDefined();
    const next = await startListen(['--port', '0', '--register', 'http://127.0.0.1:9/next'], env);
    expect(next.stderr()).toContain(`1 temporary webhook(s) left by an earlier \`listen --register\`: ${left!.id}`);
    next.child.kill('SIGTERM');
    expect(await next.exited, next.stderr()).toBe(0);
    expect((await list(env)).map((w) => w.id)).toEqual([left!.id]);
  });
});
