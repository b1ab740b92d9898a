// `listen --ready-file` on a shared folder, from the built binary: a symbolic link planted at the
// path leaves its target untouched, a FIFO does not block the process, and either is refused
// before anything is registered; a plain path still gets the URL once deliveries are accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anchorCommand, isolatedEnv } from '../helpers/bin.js';
import { startScriptServer, type ScriptServer } from '../helpers/script-server.js';
import { readyUrl, startBinListen, waitFor } from '../helpers/listener.js';

const SECRET = 'whsec_ready_file_secret_0123456789abcdef';

interface Outcome {
  /** The exit code, or 'still running' when the deadline came first (it is then killed). */
  code: number | null | 'still running';
  stderr: string;
}

/**
 * Runs `anchor webhooks listen <args>` until it exits or `deadlineMs` passes. A listener that
 * accepted the path runs on (and is killed at the deadline); one that refused it exits at once.
 */
function listenUntilExit(args: string[], env: Record<string, string>, deadlineMs = 8_000): Promise<Outcome> {
  const child = spawn(...anchorCommand(['webhooks', 'listen', ...args]), {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: 'still running', stderr });
    }, deadlineMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

let api: ScriptServer;
beforeAll(async () => {
  // An API that fails the test on any request: a refused --ready-file registers nothing.
  api = await startScriptServer();
});
afterAll(async () => {
  await api.close();
});

const folder = () => mkdtempSync(join(tmpdir(), 'anchor-ready-'));

describe('listen --ready-file', () => {
  it('refuses a symbolic link at the path (exit 2), and its target is untouched', async () => {
    const dir = folder();
    const target = join(dir, 'someone-elses-file');
    writeFileSync(target, 'precious\n');
    const ready = join(dir, 'ready');
    symlinkSync(target, ready);
    const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
    const r = await listenUntilExit(['--port', '0', '--ready-file', ready], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`invalid --ready-file ${ready}: it exists and is a symbolic link, not a regular file`);
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
    expect(lstatSync(ready).isSymbolicLink()).toBe(true);
  });

  it('refuses a FIFO at the path at once (exit 2) instead of blocking on it, before registering anything', async () => {
    const dir = folder();
    const fifo = join(dir, 'ready');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const env = isolatedEnv({ ANCHOR_API_URL: api.url, ANCHOR_API_KEY: 'ready-file-key' });
    const started = Date.now();
    // Refused before anything is registered or bound: the URL never receives anything.
    const r = await listenUntilExit(
      ['--port', '0', '--register', 'http://127.0.0.1:9/', '--allow-local-targets', '--ready-file', fifo],
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it exists and is a FIFO (named pipe), not a regular file');
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(api.seen).toEqual([]);
  });

  it('writes the URL to a new path once ready, leaves no temporary file beside it, and stops on SIGTERM', async () => {
    const dir = folder();
    const ready = join(dir, 'ready');
    const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
    // The helper waits for the file (renamed into place, so its text is whole) and reads the URL.
    const l = await startBinListen(['--port', '0', '--ready-file', ready], env);
    try {
      expect(l.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      // The file may be read before the ready line (written first) has come through the pipe.
      const url = await waitFor('the ready line', () => readyUrl(l.stderr()));
      expect(readFileSync(ready, 'utf8')).toBe(`${url}\n`);
      expect(readdirSync(dir)).toEqual(['ready']);
      await l.stop('SIGTERM');
      expect(l.child.exitCode !== null || l.child.signalCode !== null).toBe(true);
    } finally {
      l.kill();
    }
  });

  it('replaces a file left at the path, and removes the file on exit (the next run never finds a dead URL)', async () => {
    const dir = folder();
    const ready = join(dir, 'ready');
    writeFileSync(ready, 'http://stale.example.com/\n');
    const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
    // Spawned by hand: the helper would read the file, and a file there before listen starts is
    // read by whoever waits for it, whatever listen does (the README says to give a fresh path).
    const child = spawn(...anchorCommand(['webhooks', 'listen', '--port', '0', '--no-record', '--ready-file', ready]), {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('close', r));
    try {
      let stderr = '';
      await new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`not ready: ${stderr}`)), 15_000);
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('Ready:')) {
            clearTimeout(deadline);
            resolve();
          }
        });
      });
      const url = readyUrl(stderr);
      const read = () => {
        try {
          return readFileSync(ready, 'utf8');
        } catch {
          return '';
        }
      };
      // The file is renamed into place just after the ready line.
      for (let i = 0; i < 500 && read() !== `${url}\n`; i++) await new Promise((r) => setTimeout(r, 10));
      expect(read()).toBe(`${url}\n`);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
