// A tunnel program that ignores SIGTERM is still stopped before listen says so and exits: Ctrl-C
// after Ready and Ctrl-C while the tunnel starts both wait for the program's whole process group
// (SIGTERM, the grace, then SIGKILL), so when listen has exited nothing of the tunnel runs. The
// command is wrapped so that `sh -c` cannot exec it: the shell dies of SIGTERM and its child, the
// stand-in (test/fixtures/tunnels/stubborn-tunnel), is what must not be left behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorCommand } from '../helpers/bin.js';
import { startBinListen, waitFor } from '../helpers/listener.js';
import { running, tunnelPid, webhooksIn, withTunnelEmulator } from '../helpers/tunnel-journey.js';

const KEY = 'tunnel-stop-key';
const SLOW = { timeout: 30_000 };

let env: Record<string, string>;
withTunnelEmulator(KEY, (made) => (env = made.env));

/** Whether any process of the group `pgid` still runs. */
function groupRuns(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process group of a running pid (Linux's /proc, where these tests run). */
const pgidOf = (pid: number): number =>
  Number(
    readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ')[2],
  );

const pidFileIn = () => join(mkdtempSync(join(tmpdir(), 'anchor-tunnel-stop-')), 'pid');
const pidIn = (file: string) =>
  existsSync(file) && readFileSync(file, 'utf8').trim() ? Number(readFileSync(file, 'utf8')) : undefined;

describe('listen --tunnel-cmd with a program that ignores SIGTERM', () => {
  it('Ctrl-C after Ready: listen exits only once the program and its group are gone', SLOW, async () => {
    const pidFile = pidFileIn();
    const l = await startBinListen(
      ['--allow-local-targets', '--tunnel-cmd', `stubborn-tunnel '${pidFile}' --to {port}; true`],
      env,
    );
    let pid: number | undefined;
    try {
      pid = pidIn(pidFile)!;
      const pgid = tunnelPid(l)!;
      expect(running(pid), l.stderr()).toBe(true);
      expect(pgidOf(pid)).toBe(pgid);
      expect(await l.stop('SIGINT'), l.stderr()).toBe(0);
      expect(l.stderr()).toMatch(/Stopped\./);
      expect(running(pid), `the stubborn program (pid ${pid}) is gone`).toBe(false);
      expect(groupRuns(pgid), `its group (${pgid}) is gone`).toBe(false);
      expect(await webhooksIn(env)).toEqual([]);
    } finally {
      l.kill();
      if (pid !== undefined && running(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('Ctrl-C while it starts: exit 130 only once the program and its group are gone', SLOW, async () => {
    const pidFile = pidFileIn();
    const child = spawn(
      ...anchorCommand([
        'webhooks',
        'listen',
        '--port',
        '0',
        '--allow-local-targets',
        '--tunnel-cmd',
        `stubborn-tunnel '${pidFile}'; true`,
      ]),
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    let pid: number | undefined;
    try {
      pid = await waitFor('the tunnel program to start', () => pidIn(pidFile));
      expect(running(pid)).toBe(true);
      const pgid = pgidOf(pid);
      expect(pgid).not.toBe(child.pid);
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      expect(stderr).toMatch(/Interrupted while the tunnel started; it is stopped and nothing was registered\./);
      expect(running(pid), `the stubborn program (pid ${pid}) is gone`).toBe(false);
      expect(groupRuns(pgid), `its group (${pgid}) is gone`).toBe(false);
      expect(await webhooksIn(env)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      if (pid !== undefined && running(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
