// The listeners' state files are read back as hostile: only a 0600 file of ours, of the right size
// and shape, named after the pid it holds, is believed; a dead pid is reported as not running.
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  findListeners,
  listenersDir,
  newProbeToken,
  parseState,
  probeOf,
  removeListenState,
  writeListenState,
  type ListenState,
} from '../../src/local/listen-state.js';

const state = (pid: number, extra: Partial<ListenState> = {}): ListenState => ({
  v: 1,
  pid,
  url: 'http://127.0.0.1:4000/webhooks',
  port: 4000,
  public_url: 'https://abc.trycloudflare.com/webhooks',
  tunnel: 'cloudflared',
  forward_to: null,
  probe: newProbeToken(),
  started_at: new Date().toISOString(),
  ...extra,
});

const freshEnv = () => ({ ANCHOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'anchor-listen-state-')) });

describe('listen state files', () => {
  it('writes 0600 and reads back only what anchor wrote', () => {
    const env = freshEnv();
    const path = writeListenState(env, state(process.pid));
    expect(path).toBeDefined();
    const dir = listenersDir(env);
    // A dead pid (a process that has exited), a file of the wrong shape, a pid that is not its name,
    // a file others may read, a link to a good file, an oversized file.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dir, `${dead}.json`), JSON.stringify(state(dead)), { mode: 0o600 });
    writeFileSync(join(dir, '11.json'), '{"v":1,"pid":11,"url":"javascript:alert(1)"}', { mode: 0o600 });
    writeFileSync(join(dir, '12.json'), JSON.stringify(state(13)), { mode: 0o600 });
    writeFileSync(join(dir, '14.json'), JSON.stringify(state(14)), { mode: 0o644 });
    chmodSync(join(dir, '14.json'), 0o644);
    symlinkSync(path!, join(dir, '15.json'));
    writeFileSync(join(dir, '16.json'), JSON.stringify(state(16, { started_at: 'x'.repeat(5000) })), { mode: 0o600 });
    const found = findListeners(env);
    expect(found.map((f) => [f.state.pid, f.alive]).sort()).toEqual(
      [
        [dead, false],
        [process.pid, true],
      ].sort(),
    );
    removeListenState(path);
    expect(findListeners(env).map((f) => f.state.pid)).toEqual([dead]);
  });

  it('refuses a listeners folder others may write', () => {
    const env = freshEnv();
    mkdirSync(listenersDir(env), { recursive: true });
    chmodSync(listenersDir(env), 0o777);
    expect(writeListenState(env, state(process.pid))).toBeUndefined();
    expect(findListeners(env)).toEqual([]);
  });

  it('parses only the fields and values it writes', () => {
    expect(parseState(state(5), 5)).toBeDefined();
    expect(parseState({ ...state(5), port: 70000 }, 5)).toBeUndefined();
    expect(parseState({ ...state(5), probe: 'short' }, 5)).toBeUndefined();
    expect(parseState({ ...state(5), tunnel: 'a b' }, 5)).toBeUndefined();
    expect(parseState({ ...state(5), public_url: 'file:///etc/passwd' }, 5)).toBeUndefined();
    expect(parseState([], 5)).toBeUndefined();
  });

  it('reads tunnel_pid, when there is one, only as a pid of a tunnel other than the listener', () => {
    expect(parseState(state(5, { tunnel_pid: 77 }), 5)).toMatchObject({ tunnel_pid: 77 });
    expect(parseState(state(5), 5)).not.toHaveProperty('tunnel_pid');
    for (const bad of [0, 1, -3, 1.5, '77', 2 ** 31, 5, null])
      expect(parseState({ ...state(5), tunnel_pid: bad }, 5), String(bad)).toBeUndefined();
    expect(parseState(state(5, { tunnel: null, tunnel_pid: 77 }), 5)).toBeUndefined();
  });

  it('reads a probe token only of the right shape', () => {
    const t = newProbeToken();
    expect(probeOf(`/.anchor/health?probe=${t}`)).toBe(t);
    expect(probeOf('/.anchor/health?probe=xyz')).toBeUndefined();
    expect(probeOf('/.anchor/health')).toBeUndefined();
  });
});
