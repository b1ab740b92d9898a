// The tunnel program never outlives `listen`, whichever way it ends: Ctrl-C while the tunnel is
// starting (exit 130, nothing registered), SIGTERM or SIGHUP while serving (exit 0, webhook
// deleted), and an --until wait that runs out (exit 1 "timeout", webhook deleted). From the built
// binary.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorCommand } from '../helpers/bin.js';
import { startBinListen, waitFor } from '../helpers/listener.js';
import { running, temporaryId, tunnelPid, webhooksIn, withTunnelEmulator } from '../helpers/tunnel-journey.js';
import { findListeners } from '../../src/local/listen-state.js';

const KEY = 'tunnel-ways-out-key';

let env: Record<string, string>;
withTunnelEmulator(KEY, (made) => (env = made.env));

describe('listen --tunnel: the tunnel program is stopped on every way out', () => {
  it('Ctrl-C while the tunnel starts: exit 130, the program gone, nothing registered', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'anchor-tunnel-pid-')), 'pid');
    // A tunnel that never prints a URL; `exec` keeps the pid it wrote.
    const child = spawn(
      ...anchorCommand([
        'webhooks',
        'listen',
        '--port',
        '0',
        '--allow-local-targets',
        '--tunnel-cmd',
        `echo $$ > '${pidFile}'; exec sleep 30`,
      ]),
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    try {
      const pid = await waitFor('the tunnel command to start', () =>
        existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() ? Number(readFileSync(pidFile, 'utf8')) : undefined,
      );
      expect(running(pid)).toBe(true);
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      expect(stderr).toMatch(/Interrupted while the tunnel started; it is stopped and nothing was registered\./);
      expect(running(pid)).toBe(false);
      expect(await webhooksIn(env)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  // SIGHUP is what a closing terminal sends: it must clean up as SIGTERM does.
  it.each(['SIGTERM', 'SIGHUP'] as const)(
    '%s while serving: exit 0, the webhook deleted, the program gone, the state file removed',
    async (signal) => {
      const l = await startBinListen(['--tunnel', 'ngrok', '--allow-local-targets'], env);
      try {
        const pid = tunnelPid(l)!;
        expect(running(pid)).toBe(true);
        const [state] = findListeners(env);
        expect(state?.state).toMatchObject({ pid: l.child.pid, tunnel_pid: pid });
        expect(await l.stop(signal), l.stderr()).toBe(0);
        expect(l.stderr()).toContain(`Deleted the temporary webhook ${temporaryId(l)!}.`);
        expect(running(pid)).toBe(false);
        expect(await webhooksIn(env)).toEqual([]);
        expect(existsSync(state!.path)).toBe(false);
      } finally {
        l.kill();
      }
    },
  );

  it('an --until wait that runs out: exit 1 "timeout", the webhook deleted, the program gone', async () => {
    const l = await startBinListen(
      [
        '--tunnel',
        'cloudflared',
        '--allow-local-targets',
        '--until',
        'task.completed',
        '--wait-timeout',
        '1',
        '--json',
      ],
      env,
    );
    try {
      const pid = tunnelPid(l)!;
      expect(await l.exited, l.stderr()).toBe(1);
      expect(JSON.parse(l.stderr().trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'timeout' } });
      expect(running(pid)).toBe(false);
      expect(await webhooksIn(env)).toEqual([]);
    } finally {
      l.kill();
    }
  });
});
