// Secrets never leak: a whole session through the built binary with a canary API key and the
// webhook secrets the emulator mints, --debug on everything. They appear in no stdout, stderr,
// debug trace, file or process argument, except the deliberate once-only display and the 0600 stores.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedEnv, runBin, startBinEmulator, anchorCommandParams } from '../helpers/bin.js';
import { startBinListen } from '../helpers/listener.js';
import { startTunnel } from '../helpers/tunnel.js';

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Every process's command line on this machine that mentions `needle`. */
function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      // Arguments only: a process's environment is its own (ANCHOR_API_KEY lives there by design).
      if (cmdline.includes(needle)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // Gone already.
    }
  }
  return found;
}

describe('secrets canary', () => {
  it('the API key and webhook secrets appear only in the once-only display and the 0600 stores', async () => {
    const KEY = `canary-key-${randomBytes(8).toString('hex')}`;
    const emu = await startBinEmulator(['--allow-local-targets', '--retry-delays', '10ms']);
    const work = mkdtempSync(join(tmpdir(), 'anchor-canary-'));
    const env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_ALLOW_LOCAL_TARGETS: '1' });
    const outputs: Array<{ argv: string[]; stdout: string; stderr: string }> = [];
    const run = async (argv: string[], opts: { input?: string; env?: Record<string, string> } = {}) => {
      const full = [...argv, '--debug'];
      const r = await runBin(full, {
        env: { ...env, ...opts.env },
        ...(opts.input === undefined ? {} : { input: opts.input }),
      });
      outputs.push({ argv: full, stdout: r.stdout, stderr: r.stderr });
      return r;
    };
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const rUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
    try {
      expect((await run(['auth', 'login', '--with-key'], { input: KEY })).code).toBe(0);
      await run(['auth', 'status']);
      await run(['auth', 'status', '--json']);
      const shown = await run(['webhooks', 'create', '--url', rUrl, '--event', 'task.completed']);
      const secret1 = shown.stdout.match(/\n {4}([0-9a-f]{64})\n/)![1]!;
      const createdJson = await run(['webhooks', 'create', '--url', rUrl, '--event', 'task.failed', '--json']);
      const secret2 = JSON.parse(createdJson.stdout).secret as string;
      const secretFile = join(work, 'secret');
      const filed = await run([
        'webhooks',
        'create',
        '--url',
        rUrl,
        '--event',
        'session.failed',
        '--secret-file',
        secretFile,
        '--json',
      ]);
      const secret3 = readFileSync(secretFile, 'utf8').trim();
      const id1 = JSON.parse((await run(['webhooks', 'list', '--json'])).stdout)[0].id as string;
      await run(['webhooks', 'list']);
      await run(['webhooks', 'get', id1]);
      await run(['webhooks', 'update', id1, '--description', 'canary', '--add-event', 'task.failed']);
      await run(['webhooks', 'create', '--url', rUrl, '--event', 'task.completed', '--dry-run']);
      await run(['webhooks', 'test', id1, '--event', 'task.completed', '--wait']);
      await run(['webhooks', 'deliveries', id1, '--payload']);
      const rotated = await run(['webhooks', 'rotate-secret', id1, '--yes', '--json']);
      const secret4 = JSON.parse(rotated.stdout).secret as string;
      const rotatedFile = join(work, 'rotated');
      await run(['webhooks', 'rotate-secret', id1, '--yes', '--secret-file', rotatedFile]);
      const secret5 = readFileSync(rotatedFile, 'utf8').trim();
      const body = join(work, 'body.json');
      writeFileSync(body, '{"id":"evt_c","type":"task.completed"}');
      const signed = JSON.parse(
        (await run(['webhooks', 'sign', '--payload', body, '--json'], { env: { ANCHOR_WEBHOOK_SECRET: secret2 } }))
          .stdout,
      );
      await run([
        'webhooks',
        'verify',
        '--signature',
        signed.headers['Anchor-Signature'],
        '--payload',
        body,
        '--secret-file',
        secretFile,
      ]);
      await run(['webhooks', 'verify', '--signature', signed.headers['Anchor-Signature'], '--payload', body], {
        env: { ANCHOR_WEBHOOK_SECRET: `${secret2}\n` },
      });
      await run(['events', 'trigger', 'task.failed', '--forward-to', rUrl, '--secret-file', secretFile]);
      // Webhooks as code, receiver checks and chaos: a created webhook's secret goes to its 0600 file only.
      const applyFile = join(work, 'anchor-webhooks.yaml');
      expect((await run(['webhooks', 'export'])).code).toBe(0);
      // (Not the export itself: the webhooks above share one URL, which an apply file cannot.)
      writeFileSync(applyFile, `webhooks:\n  - url: ${rUrl}apply\n    events: [task.completed]\n`);
      const secretDir = join(work, 'apply-secrets');
      expect(
        (await run(['webhooks', 'apply', '-f', applyFile, '--yes', '--secret-dir', secretDir, '--json'])).code,
      ).toBe(0);
      const [appliedFile] = readdirSync(secretDir).map((f) => join(secretDir, f));
      const secret6 = readFileSync(appliedFile!, 'utf8');
      expect((await run(['webhooks', 'apply', '-f', applyFile, '--check'])).code).toBe(0);
      await run(['webhooks', 'check-receiver', rUrl, '--secret-file', secretFile]);
      await run(['webhooks', 'check-receiver', rUrl, '--json'], { env: { ANCHOR_WEBHOOK_SECRET: secret2 } });
      await run([
        'events',
        'trigger',
        '--scenario',
        'batch',
        '--chaos',
        'duplicate,stale,bad-signature',
        '--forward-to',
        rUrl,
        '--secret-file',
        secretFile,
        '--json',
      ]);
      await run(['webhooks', 'get', id1], { env: { ANCHOR_API_KEY: KEY } });
      await run(['webhooks', 'list'], { env: { ANCHOR_API_KEY: `${KEY}-wrong` } });

      // listen --register: the secret of the webhook it creates is used, never shown or passed on.
      // The public URL exists before the listener: a tunnel that points at it once it listens.
      const tunnel = await startTunnel();
      const listen = await startBinListen(['--port', '0', '--register', tunnel.url, '--debug'], env);
      tunnel.to(listen.url);
      const during = [KEY, secret1, secret2, secret3, secret4, secret5].flatMap(processesMentioning);
      await fetch(`${emu.url}/_emulator/events`, {
        method: 'POST',
        headers: { 'anchor-api-key': KEY, 'content-type': 'application/json' },
        body: '{"type":"task.completed"}',
      });
      for (let i = 0; i < 100 && !listen.stdout().includes('task.completed'); i++)
        await new Promise((r) => setTimeout(r, 20));
      await listen.stop();
      await tunnel.close();
      const [lOut, lErr] = [listen.stdout(), listen.stderr()];
      outputs.push({ argv: ['webhooks', 'listen', '--register'], stdout: lOut, stderr: lErr });
      expect(lOut).toContain('task.completed');
      expect(during).toEqual([]);

      const secrets = [secret1, secret2, secret3, secret4, secret5, secret6];
      // The once-only displays.
      const allowed = new Map<string, number>([
        [secret1, outputs.indexOf(outputs.find((o) => o.stdout === shown.stdout)!)],
        [secret2, outputs.findIndex((o) => o.stdout === createdJson.stdout)],
        [secret4, outputs.findIndex((o) => o.stdout === rotated.stdout)],
      ]);
      outputs.forEach((o, i) => {
        const text = `${o.argv.join(' ')}\n${o.stdout}\n${o.stderr}`;
        expect(text.includes(KEY), `API key in output of ${o.argv.join(' ')}`).toBe(false);
        for (const s of secrets) {
          const inStdout = o.stdout.includes(s);
          expect(o.stderr.includes(s), `secret in stderr of ${o.argv.join(' ')}`).toBe(false);
          expect(o.argv.join(' ').includes(s), `secret in the arguments of ${o.argv.join(' ')}`).toBe(false);
          if (inStdout) expect(allowed.get(s), `secret shown by ${o.argv.join(' ')}`).toBe(i);
        }
      });
      expect(outputs.some((o) => o.stderr.includes('[REDACTED]'))).toBe(true);
      expect(filed.stdout).not.toContain(secret3);

      // Files: the key only in the 0600 config, the secrets only in their 0600 files.
      const files = [...allFiles(env.HOME!), ...allFiles(work)];
      for (const f of files) {
        const text = readFileSync(f, 'utf8');
        if (text.includes(KEY)) {
          expect(f).toBe(join(env.XDG_CONFIG_HOME!, 'anchor', 'config.json'));
          expect(statSync(f).mode & 0o777).toBe(0o600);
        }
        for (const s of secrets) {
          if (text.includes(s)) {
            expect([secretFile, rotatedFile, appliedFile]).toContain(f);
            expect(statSync(f).mode & 0o777).toBe(0o600);
          }
        }
      }
      // The emulator logs requests, never keys or secrets.
      for (const needle of [KEY, ...secrets]) expect(emu.stderr().includes(needle)).toBe(false);
    } finally {
      receiver.close();
      await emu.stop();
    }
  }, 120_000);

  it('over a whole MCP session: no tool result, log line or process argument carries the API key or a secret', async () => {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const KEY = `canary-mcp-key-${randomBytes(8).toString('hex')}`;
    const emu = await startBinEmulator(['--allow-local-targets', '--retry-delays', '10ms']);
    const work = mkdtempSync(join(tmpdir(), 'anchor-canary-mcp-'));
    const secretDir = join(work, 'secrets');
    const env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: KEY, ANCHOR_ALLOW_LOCAL_TARGETS: '1' });
    const receiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const rUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
    const transport = new StdioClientTransport({
      ...anchorCommandParams(['mcp', '--secret-dir', secretDir, '--debug']),
      env,
      stderr: 'pipe',
    });
    let logged = '';
    transport.stderr?.on('data', (d: Buffer) => (logged += d.toString()));
    const client = new Client({ name: 'canary', version: '1.0.0' });
    await client.connect(transport);
    const results: unknown[] = [];
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const r = (await client.callTool({ name, arguments: args })) as { structuredContent?: Record<string, unknown> };
      results.push(r);
      return r;
    };
    try {
      const created = (await call('create_webhook', { url: rUrl, events: ['task.completed'] })).structuredContent as {
        id: string;
        secret_file: string;
      };
      const secret1 = readFileSync(created.secret_file, 'utf8');
      await call('list_webhooks');
      await call('get_webhook', { id: created.id });
      await call('update_webhook', { id: created.id, description: 'canary' });
      await call('send_test_event', { id: created.id, event_type: 'task.completed', wait: true });
      await call('list_deliveries', { id: created.id, payload: true });
      const rotated = (await call('rotate_webhook_secret', { id: created.id, confirm: true })).structuredContent as {
        secret_file: string;
      };
      const secret2 = readFileSync(rotated.secret_file, 'utf8');
      await call('verify_signature', { payload: '{}', signature: 't=1,v1=00', secret_file: created.secret_file });
      await call('create_webhook', { url: 'https://u:p@example.com/', events: ['task.completed'] });
      const during = [KEY, secret1, secret2].flatMap(processesMentioning);
      await call('delete_webhook', { id: created.id, confirm: true });
      expect(logged).toContain('[debug] → POST');
      expect(logged).toContain('anchor-api-key: [REDACTED]');
      const all = `${JSON.stringify(results)}\n${logged}`;
      for (const needle of [KEY, secret1, secret2])
        expect(all.includes(needle), 'a secret in a result or a log').toBe(false);
      expect(during).toEqual([]);
      // The secrets are in their 0600 files and nowhere else on disk.
      for (const f of [...allFiles(env.HOME!), ...allFiles(work)]) {
        const text = readFileSync(f, 'utf8');
        for (const s of [secret1, secret2])
          if (text.includes(s)) {
            expect([created.secret_file, rotated.secret_file]).toContain(f);
            expect(statSync(f).mode & 0o777).toBe(0o600);
          }
        expect(text.includes(KEY)).toBe(false);
      }
      for (const needle of [KEY, secret1, secret2]) expect(emu.stderr().includes(needle)).toBe(false);
    } finally {
      await client.close();
      receiver.close();
      await emu.stop();
    }
  }, 60_000);
});
