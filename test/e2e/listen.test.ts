// `anchor webhooks listen --register` from the built binary, with real signals (SIGINT, SIGTERM, and
// the SIGHUP of a terminal that closes).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runBin, startBinEmulator, type BinEmulator } from '../helpers/bin.js';
import { startBinListen } from '../helpers/listener.js';
import { startTunnel } from '../helpers/tunnel.js';
import { findListeners } from '../../src/local/listen-state.js';

let emu: BinEmulator;
beforeAll(async () => {
  emu = await startBinEmulator(['--allow-local-targets', '--retry-delays', '20ms']);
});
afterAll(async () => {
  await emu.stop();
});

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
    // The public URL exists before the listener: a tunnel that points at it once it listens.
    const tunnel = await startTunnel();
    const l = await startBinListen(['--port', '0', '--register', tunnel.url, '--json'], env);
    tunnel.to(l.url);
    const hooks = await list(env);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.url).toBe(tunnel.url);
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
    await tunnel.close();
  });

  it('a hang-up (SIGHUP: its terminal closed) ends it as SIGTERM does: exit 0, the webhook deleted, the state file gone', async () => {
    const env = isolatedEnv({
      ANCHOR_API_URL: emu.url,
      ANCHOR_API_KEY: 'listen-hangup-key',
      ANCHOR_ALLOW_LOCAL_TARGETS: '1',
    });
    const l = await startBinListen(['--port', '0', '--register', 'http://127.0.0.1:9/hung-up'], env);
    try {
      const [hook] = await list(env);
      expect(hook?.url).toBe('http://127.0.0.1:9/hung-up');
      const [state] = findListeners(env);
      expect(state?.state.pid).toBe(l.child.pid);
      expect(await l.stop('SIGHUP'), l.stderr()).toBe(0);
      expect(l.stderr()).toContain(`Deleted the temporary webhook ${hook!.id}.`);
      expect(l.stderr()).toContain('Stopped.');
      expect(await list(env)).toEqual([]);
      expect(existsSync(state!.path)).toBe(false);
    } finally {
      l.kill();
    }
  });

  it('a run that crashed leaves its webhook; the next run points it out', async () => {
    const env = isolatedEnv({
      ANCHOR_API_URL: emu.url,
      ANCHOR_API_KEY: 'listen-crash-key',
      ANCHOR_ALLOW_LOCAL_TARGETS: '1',
    });
    // No deliveries here, so the registered URL need not be the local port: --port 0, no port race.
    const crashed = await startBinListen(['--port', '0', '--register', 'http://127.0.0.1:9/crashed'], env);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    const [left] = await list(env);
    expect(left).toBeDefined();
    const next = await startBinListen(['--port', '0', '--register', 'http://127.0.0.1:9/next'], env);
    expect(next.stderr()).toContain(
      `1 temporary webhook(s) left by an earlier \`listen --register\` or \`--tunnel\`: ${left!.id}`,
    );
    next.child.kill('SIGTERM');
    expect(await next.exited, next.stderr()).toBe(0);
    expect((await list(env)).map((w) => w.id)).toEqual([left!.id]);
  });
});
