// The `listen --tunnel` journey, shared by the ssh test and the cloudflared/ngrok stand-ins' test:
// the built binary against the emulator, forwarding to a real receiver app that verifies with the
// forwarding secret. Start → the tunnel proven → the temporary webhook at the tunnel's URL → a
// test delivery verified by the app → SIGINT → exit 0, webhook deleted, tunnel program gone,
// state file removed. Also: the stand-ins' folder first on PATH, and the emulator's webhooks.
import { delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { ROOT, isolatedEnv, runBin } from './bin.js';
import { startBinListen, waitFor, type BinListen } from './listener.js';
import { startReferenceReceiver, type ReferenceReceiver } from './reference-receivers.js';
import { startCheckedEmulator, type CheckedEmulator } from './checked-emulator.js';
import { findListeners } from '../../src/local/listen-state.js';

/** The stand-ins for cloudflared and ngrok (test/fixtures/tunnels). */
export const FAKE_TUNNELS = join(ROOT, 'test', 'fixtures', 'tunnels');

/** `env` with the stand-ins' folder first on PATH. */
export const withFakeTunnels = (env: Record<string, string>): Record<string, string> => ({
  ...env,
  PATH: `${FAKE_TUNNELS}${delimiter}${env.PATH ?? ''}`,
});

/** The webhooks in the emulator, as `anchor webhooks list --json` gives them. */
export async function webhooksIn(env: Record<string, string>): Promise<Array<{ id: string; url: string }>> {
  const r = await runBin(['webhooks', 'list', '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  const parsed = JSON.parse(r.stdout) as
    Array<{ id: string; url: string }> | { webhooks: Array<{ id: string; url: string }> };
  return Array.isArray(parsed) ? parsed : parsed.webhooks;
}

/** Whether a process with this pid still runs. */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The tunnel program's pid, from listen's "Tunnel: … (…, pid N)" line. */
export const tunnelPid = (l: BinListen): number | undefined => {
  const m = /^Tunnel: \S+ reaches this listener \(.*, pid (\d+)\)\.$/m.exec(l.stderr());
  return m ? Number(m[1]) : undefined;
};

export const temporaryId = (l: BinListen): string | undefined => /temporary webhook (wh_\w+)/.exec(l.stderr())?.[1];

/** The whole journey with `tunnelArgs`; returns what the test may look at further. */
export async function tunnelJourney(
  tunnelArgs: string[],
  env: Record<string, string>,
  app: ReferenceReceiver,
  expectTunnel: string,
  /** A real service: its https:// URL needs no --allow-local-targets, and it may take longer. */
  o: { live?: boolean } = {},
): Promise<{ publicUrl: string; stderr: string }> {
  const forwardingSecret = (await runBin(['webhooks', 'listen', '--print-secret'], { env })).stdout.trim();
  expect(forwardingSecret.length).toBeGreaterThan(16);
  const l = await startBinListen(
    [...tunnelArgs, ...(o.live ? [] : ['--allow-local-targets']), '--forward-to', app.url, '--path', '/hooks'],
    env,
    [],
    o.live ? 60_000 : 20_000,
  );
  try {
    const pid = tunnelPid(l);
    expect(pid, l.stderr()).toBeGreaterThan(0);
    expect(running(pid!)).toBe(true);
    const id = temporaryId(l)!;
    expect(id, l.stderr()).toMatch(/^wh_/);
    const [hook] = (await webhooksIn(env)).filter((w) => w.id === id);
    // The webhook points at the tunnel's public URL and listen's --path, not at the listener itself.
    if (!o.live) {
      expect(hook!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks$/);
      expect(new URL(hook!.url).port).not.toBe(String(l.port));
    }
    const [state] = findListeners(env);
    expect(state!.state).toMatchObject({ pid: l.child.pid, public_url: hook!.url, tunnel: expectTunnel });

    const before = app.accepted.length;
    const sent = await runBin(['webhooks', 'test', id, '--event', 'task.completed', '--wait', '--json'], { env });
    expect(sent.code, sent.stderr + l.stderr()).toBe(0);
    await waitFor('the app to verify the delivery', () => (app.accepted.length > before ? true : undefined));
    expect(app.accepted.at(-1)!.envelope.type).toBe('task.completed');

    expect(await l.stop('SIGINT'), l.stderr()).toBe(0);
    expect(l.stderr()).toContain(`Deleted the temporary webhook ${id}.`);
    expect((await webhooksIn(env)).map((w) => w.id)).not.toContain(id);
    expect(running(pid!), `the tunnel program (pid ${pid}) is gone`).toBe(false);
    expect(existsSync(state!.path)).toBe(false);
    // Neither the key nor the forwarding secret (the app's) is ever printed.
    expect(l.stderr()).not.toContain(env.ANCHOR_API_KEY!);
    expect(l.stderr() + l.stdout()).not.toContain(forwardingSecret);
    return { publicUrl: hook!.url, stderr: l.stderr() };
  } finally {
    l.kill();
  }
}

/**
 * The app of a `listen --register`/`--tunnel` journey: the correct reference receiver, configured
 * once with the profile's forwarding secret (`listen --print-secret`, as a user's .env would be).
 */
export async function appWithForwardingSecret(env: Record<string, string>): Promise<ReferenceReceiver> {
  const printed = await runBin(['webhooks', 'listen', '--print-secret'], { env });
  expect(printed.code, printed.stderr).toBe(0);
  return startReferenceReceiver('correct', printed.stdout.trim());
}

/** An emulator that fails the test on an unexpected request, and an isolated env with the stand-ins first on PATH. */
export async function emulatorWithFakeTunnels(
  key: string,
): Promise<{ emu: CheckedEmulator; env: Record<string, string> }> {
  const emu = await startCheckedEmulator({ apiKeys: [key] });
  return { emu, env: withFakeTunnels(isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: key })) };
}

/**
 * A test file's emulator and env for the tunnel stand-ins: made before its tests (`set` receives
 * them), closed after, and no request it did not expect.
 */
export function withTunnelEmulator(
  key: string,
  set: (made: { emu: CheckedEmulator; env: Record<string, string> }) => void,
): void {
  let emu: CheckedEmulator | undefined;
  beforeAll(async () => {
    const made = await emulatorWithFakeTunnels(key);
    emu = made.emu;
    set(made);
  });
  afterAll(async () => {
    await emu?.close();
    expect(emu?.violations).toEqual([]);
  });
}
