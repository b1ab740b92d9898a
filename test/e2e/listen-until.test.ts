// `anchor webhooks listen --until` from the built binary: the wait a CI job does for one event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watch, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedEnv, runBin, startBinEmulator, type BinEmulator } from '../helpers/bin.js';
import { startBinListen } from '../helpers/listener.js';
import { startTunnel, type Tunnel } from '../helpers/tunnel.js';

const SECRET = 'whsec_listen_until_secret_0123456789abcdef';

let emu: BinEmulator;
beforeAll(async () => {
  emu = await startBinEmulator(['--allow-local-targets', '--retry-delays', '20ms']);
});
const tunnels: Tunnel[] = [];
afterAll(async () => {
  await emu.stop();
  for (const t of tunnels) await t.close();
});

/**
 * `listen --register` on port 0 (its own temporary webhook), waiting for task.completed. The
 * webhook points at a tunnel, which points at the listener once it listens.
 */
async function registeredUntil(...extra: string[]) {
  const env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: `until-${randomUUID()}` });
  const tunnel = await startTunnel();
  tunnels.push(tunnel);
  const args = ['--port', '0', '--register', tunnel.url, '--allow-local-targets'];
  const l = await startBinListen([...args, '--until', 'task.completed', ...extra], env);
  tunnel.to(l.url);
  return { env, l };
}

async function list(env: Record<string, string>) {
  const r = await runBin(['webhooks', 'list', '--json'], { env });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Array<{ id: string; url: string }>;
}

/** A signed task.failed delivery, posted by hand. */
async function post(url: string): Promise<number> {
  const body = JSON.stringify({ id: `evt_${randomUUID()}`, type: 'task.failed', text: 'x', data: {} });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', SECRET).update(`v0:${t}:`).update(body).digest('hex');
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'anchor-signature': `t=${t},v1=${v1}`,
      'anchor-timestamp': String(t),
      'content-type': 'application/json',
    },
    body,
  });
  return res.status;
}

describe('listen --until', () => {
  it('writes its ready file once deliveries are accepted, lets unmatched events by, and exits 0 with the match (forwarded to the app)', async () => {
    // The app behind --forward-to: it records what it is given.
    const got: string[] = [];
    const app = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push(Buffer.concat(chunks).toString('utf8'));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/app`;
    const dir = mkdtempSync(join(tmpdir(), 'anchor-until-'));
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, SECRET, { mode: 0o600 });
    const ready = join(dir, 'ready');
    // The moment the ready file appears, a delivery to the URL it gives must already be accepted.
    const acceptedAtReady = new Promise<number>((resolve, reject) => {
      const w = watch(dir, (_event, name) => {
        if (name !== 'ready' || !existsSync(ready)) return;
        w.close();
        post(readFileSync(ready, 'utf8').trim()).then(resolve, reject);
      });
    });
    expect(existsSync(ready)).toBe(false);
    const env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET });
    const l = await startBinListen(
      [
        '--port',
        '0',
        '--until',
        'task.completed',
        '--match',
        'data.task_id=tsk_wanted',
        '--match',
        'data.duration_ms=4200',
        '--json',
        '--ready-file',
        ready,
        '--forward-to',
        appUrl,
      ],
      env,
    );
    const url = l.url;
    try {
      expect(await acceptedAtReady).toBe(200);
      // A task.completed for another task does not count, and the listener goes on.
      const other = await runBin(
        ['events', 'trigger', 'task.completed', '--forward-to', url, '--set', 'data.task_id=tsk_other'],
        { env },
      );
      expect(other.code).toBe(0);
      expect(l.child.exitCode).toBeNull();
      const wanted = await runBin(
        ['events', 'trigger', 'task.completed', '--forward-to', url, '--set', 'data.task_id=tsk_wanted', '--json'],
        { env },
      );
      expect(wanted.code).toBe(0);
      expect(await l.exited).toBe(0);
      const envelope = JSON.parse(l.lines.join('\n')) as { id: string; type: string; data: { task_id: string } };
      expect(envelope.type).toBe('task.completed');
      expect(envelope.data.task_id).toBe('tsk_wanted');
      expect(envelope.id).toBe((JSON.parse(wanted.stdout) as { event_id: string }).event_id);
      expect(l.stderr()).toContain('Got task.completed');
      // Everything verified went on to the app, the match included.
      expect(got).toHaveLength(3);
      expect((JSON.parse(got[2]!) as { id: string }).id).toBe(envelope.id);
    } finally {
      l.kill();
      await new Promise<void>((r) => app.close(() => r()));
    }
  });

  it('with --register: exits 0 on a matching delivery from the emulator (not on an earlier other one), and deletes its webhook', async () => {
    const { env, l } = await registeredUntil('--json');
    try {
      const [hook] = await list(env);
      expect(hook).toBeDefined();
      // An unmatched event, delivered by the emulator and taken by the listener: it does not count.
      const failed = await runBin(['webhooks', 'test', hook!.id, '--event', 'task.failed', '--wait'], { env });
      expect(failed.code).toBe(0);
      expect(l.child.exitCode).toBeNull();
      const completed = await runBin(['webhooks', 'test', hook!.id, '--event', 'task.completed', '--json'], { env });
      expect(completed.code).toBe(0);
      expect(await l.exited).toBe(0);
      const envelope = JSON.parse(l.lines.join('\n')) as { id: string; type: string };
      expect(envelope.type).toBe('task.completed');
      expect(envelope.id).toBe((JSON.parse(completed.stdout) as { external_event_id: string }).external_event_id);
      expect(await list(env)).toEqual([]);
    } finally {
      l.kill();
    }
  });

  it('exits 1 when the wait times out, says what it saw, and leaves no temporary webhook behind', async () => {
    const { env, l } = await registeredUntil('--wait-timeout', '2s');
    try {
      expect(await l.exited).toBe(1);
      expect(l.stderr()).toContain('waited 2s for task.completed; it did not arrive (no verified event at all)');
      expect(l.stderr()).toContain('Deleted the temporary webhook');
      expect(await list(env)).toEqual([]);
    } finally {
      l.kill();
    }
  });

  it('--match and --wait-timeout go with --until', async () => {
    const r = await runBin(['webhooks', 'listen', '--match', 'data.x=1'], {
      env: isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET }),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--match goes with --until');
    const t = await runBin(['webhooks', 'listen', '--until', 'task.completed', '--wait-timeout', 'soon'], {
      env: isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET }),
    });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('invalid --wait-timeout "soon"');
  });
});
