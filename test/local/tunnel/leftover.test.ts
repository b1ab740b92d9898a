// Which tunnel programs outlived a killed listener: a dead listener's state file names its tunnel
// pid, and that pid counts only while its command line is the program the listener started (a
// reused pid running anything else is not named). Real processes, real state files.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandLineOf, isTunnelProgram, leftoverTunnels } from '../../../src/local/tunnel/leftover.js';
import { newProbeToken, writeListenState, type ListenState } from '../../../src/local/listen-state.js';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) c.kill('SIGKILL');
});

/** A pid that ran and is gone (the dead listener's). */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

const stateOf = (pid: number, tunnelPid: number, tunnel: string, port: number): ListenState => ({
  v: 1,
  pid,
  url: `http://127.0.0.1:${port}/`,
  port,
  public_url: 'https://abc.trycloudflare.com/',
  tunnel,
  forward_to: null,
  probe: newProbeToken(),
  started_at: new Date().toISOString(),
  tunnel_pid: tunnelPid,
});

describe('isTunnelProgram', () => {
  it("cloudflared and ngrok: their exact arguments after their name (a script's interpreter first is fine)", () => {
    const cf = ['cloudflared', 'tunnel', '--no-autoupdate', '--url', 'http://127.0.0.1:4100'];
    expect(isTunnelProgram(cf, { tunnel: 'cloudflared', port: 4100 })).toBe(true);
    expect(isTunnelProgram(['node', '/x/cloudflared', ...cf.slice(1)], { tunnel: 'cloudflared', port: 4100 })).toBe(
      true,
    );
    expect(isTunnelProgram(cf, { tunnel: 'cloudflared', port: 4101 })).toBe(false);
    expect(isTunnelProgram(['vim', ...cf.slice(1)], { tunnel: 'cloudflared', port: 4100 })).toBe(false);
    const ngrok = ['ngrok', 'http', '4100', '--log', 'stdout', '--log-format', 'json'];
    expect(isTunnelProgram(ngrok, { tunnel: 'ngrok', port: 4100 })).toBe(true);
    expect(isTunnelProgram(ngrok, { tunnel: 'cloudflared', port: 4100 })).toBe(false);
  });

  it('ssh and a --tunnel-cmd command: by the port they were given', () => {
    const ssh = ['ssh', '-T', '-n', '-R', '80:127.0.0.1:4100', 'nokey@localhost.run'];
    expect(isTunnelProgram(ssh, { tunnel: 'ssh', port: 4100 })).toBe(true);
    expect(isTunnelProgram(ssh, { tunnel: 'ssh', port: 410 })).toBe(false);
    expect(isTunnelProgram(['sh', '-c', 'my-tunnel --port 4100'], { tunnel: 'cmd', port: 4100 })).toBe(true);
    expect(isTunnelProgram(['sh', '-c', 'my-tunnel --port 41000'], { tunnel: 'cmd', port: 4100 })).toBe(false);
  });
});

describe('leftoverTunnels', () => {
  // Only Linux has /proc/<pid>/cmdline to tell the program from a reused pid; elsewhere nothing is named.
  const linux = process.platform === 'linux';
  it("names a dead listener's tunnel that still runs as started, and nothing else", () => {
    const env = { ANCHOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'anchor-leftover-')) };
    // The stand-in's command line, for a listener on port 4100 (it is not run as a tunnel here).
    const tunnel = spawn(
      process.execPath,
      ['-e', 'setInterval(() => {}, 1e6)', 'ngrok', 'http', '4100', '--log', 'stdout', '--log-format', 'json'],
      { stdio: 'ignore' },
    );
    started.push(tunnel);
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
    started.push(other);
    if (linux)
      expect(commandLineOf(tunnel.pid!)?.slice(-6)).toEqual([
        'http',
        '4100',
        '--log',
        'stdout',
        '--log-format',
        'json',
      ]);

    writeListenState(env, stateOf(deadPid(), tunnel.pid!, 'ngrok', 4100));
    // A reused pid: the process runs, but it is not that tunnel.
    writeListenState(env, stateOf(deadPid(), other.pid!, 'ngrok', 4200));
    // A listener that still runs (this process): its tunnel is its own business.
    writeListenState(env, stateOf(process.pid, tunnel.pid!, 'ngrok', 4100));
    expect(leftoverTunnels(env)).toEqual(linux ? [{ pid: tunnel.pid, tunnel: 'ngrok', port: 4100 }] : []);
  });
});
