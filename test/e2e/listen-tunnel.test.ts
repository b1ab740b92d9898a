// The done-when test of `listen --tunnel ssh`: the real OpenSSH client, started by the built
// binary, against a reverse-tunnel server on loopback (test/helpers/ssh-tunnel-server.ts) that
// prints localhost.run's banner and carries real traffic. Start → proof → the temporary webhook at
// the tunnel's URL → a delivery through ssh verified by the app with the forwarding secret →
// SIGINT → exit 0, the webhook deleted, ssh gone, the state file removed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import type { ReferenceReceiver } from '../helpers/reference-receivers.js';
import { startSshTunnelServer, type SshTunnelServer } from '../helpers/ssh-tunnel-server.js';
import { tunnelJourney, webhooksIn, appWithForwardingSecret } from '../helpers/tunnel-journey.js';
import { lacks } from '../helpers/tools.js';

const KEY = 'tunnel-ssh-key';
const JOURNEY = { timeout: 30_000 };

describe.skipIf(lacks('ssh'))('listen --tunnel ssh (the real OpenSSH client)', () => {
  let emu: CheckedEmulator;
  let env: Record<string, string>;
  let app: ReferenceReceiver;
  let sshd: SshTunnelServer;
  beforeAll(async () => {
    emu = await startCheckedEmulator({ apiKeys: [KEY] });
    env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: KEY });
    app = await appWithForwardingSecret(env);
    sshd = await startSshTunnelServer();
  });
  afterAll(async () => {
    await sshd?.close();
    await app?.close();
    await emu?.close();
    expect(emu.violations).toEqual([]);
  });

  it('goes from start to a verified delivery in the app to a clean exit', JOURNEY, async () => {
    const { publicUrl } = await tunnelJourney(['--tunnel', 'ssh', '--tunnel-host', sshd.host], env, app, 'ssh');
    // The URL came from the server's banner, and the server's host key was kept in anchor's own file.
    expect(sshd.publicUrls.map((u) => `${u}/hooks`)).toContain(publicUrl);
    const knownHosts = join(env.XDG_STATE_HOME!, 'anchor', 'tunnel-known-hosts');
    expect(existsSync(knownHosts)).toBe(true);
    expect(readFileSync(knownHosts, 'utf8')).toMatch(/ssh-ed25519/);
  });

  it('a host that refuses the user: exit 1, code "tunnel", ssh\'s last lines, no webhook', JOURNEY, async () => {
    const r = await runBin(
      [
        'webhooks',
        'listen',
        '--port',
        '0',
        '--tunnel',
        'ssh',
        '--tunnel-host',
        sshd.host.replace(/^test@/, 'nobody@'),
        '--allow-local-targets',
        '--json',
      ],
      { env },
    );
    expect(r.code, r.stderr).toBe(1);
    const { error } = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as {
      error: { code: string; message: string; hint: string };
    };
    expect(error.code).toBe('tunnel');
    expect(error.message).toMatch(/ended before it gave a public URL/);
    expect(error.hint).toMatch(/Permission denied/);
    expect(await webhooksIn(env)).toEqual([]);
  });
});
