// `anchor doctor` from the built binary against the emulator: the whole path right (a listener
// registered behind a tunnel, a delivery verified, forwarded and recorded, the forwarding secret)
// is all ✓, and each failure made on purpose is named by its check with its fix: a skewed clock
// (a proxy rewriting the API's Date), a refused key, a disabled webhook, a missing subscription, a
// wrong secret, a dead target and its failed deliveries, the app behind listen stopped, a listener
// killed (its stale state file removed). Every run's --json is the contract's shape, and no key or
// secret is ever printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { startBinListen, type BinListen } from '../helpers/listener.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../helpers/reference-receivers.js';
import { startTunnel, type Tunnel } from '../helpers/tunnel.js';
import { closeServer, listenOn } from '../../src/lib/serve.js';
import { findListeners } from '../../src/local/listen-state.js';
import { forwardingSecretPath } from '../../src/local/forwarding-secret.js';
import type { DoctorCheck } from '../../src/commands/doctor/report.js';

const KEY = 'doctor-key-0123456789abcdef';
const IDS = [
  'key',
  'api',
  'clock',
  'webhook_url',
  'webhook_state',
  'deliveries',
  'secret',
  'listener',
  'tunnel',
  'app',
];
const SLOW = { timeout: 60_000 };
// A port nothing listens on (the discard port): a connection there is refused.
const DEAD_TARGET = 'http://127.0.0.1:9/hooks';

/** One check of doctor's --json (the contract's shape). */
type Check = DoctorCheck;

let emu: CheckedEmulator;
let forwardingSecret: string;
/** Every key and secret a run could leak: none may appear in any output. */
const secrets: string[] = [KEY];

beforeAll(async () => {
  emu = await startCheckedEmulator({ apiKeys: [KEY], retryDelaysMs: [5, 5] });
});
afterAll(async () => {
  await emu.close();
  expect(emu.violations).toEqual([]);
});

const projectEnv = (extra: Record<string, string> = {}) =>
  isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: KEY, ANCHOR_ALLOW_LOCAL_TARGETS: '1', ...extra });

/** Runs doctor --json and checks the contract's shape and that nothing secret was printed. */
async function doctor(args: string[], env: Record<string, string>) {
  const r = await runBin(['doctor', ...args, '--json'], { env });
  for (const s of secrets) {
    expect(r.stdout).not.toContain(s);
    expect(r.stderr).not.toContain(s);
  }
  const report = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
  expect(Object.keys(report).sort()).toEqual(['checks', 'ok']);
  expect(report.checks.map((c) => c.id)).toEqual(IDS);
  for (const c of report.checks) {
    expect(
      Object.keys(c).every((k) => ['id', 'ok', 'skipped', 'detail', 'fix'].includes(k)),
      JSON.stringify(c),
    ).toBe(true);
    expect(typeof c.ok).toBe('boolean');
    expect(typeof c.detail).toBe('string');
    expect(c.detail.length).toBeGreaterThan(0);
    if (c.skipped !== undefined) expect(c).toMatchObject({ skipped: true, ok: true });
    // A fix on each failure, and only there.
    expect(typeof c.fix === 'string' && c.fix.length > 0).toBe(!c.ok);
  }
  expect(report.ok).toBe(report.checks.every((c) => c.ok));
  expect(r.code, r.stderr).toBe(report.ok ? 0 : 6);
  const by = Object.fromEntries(report.checks.map((c) => [c.id, c])) as Record<string, Check>;
  return { ...r, report, by };
}

const state = (c: Check) => (c.skipped ? 'skipped' : c.ok ? 'ok' : 'failed');

async function create(env: Record<string, string>, url: string, event = 'task.completed') {
  const r = await runBin(['webhooks', 'create', '--url', url, '--event', event, '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  const hook = JSON.parse(r.stdout) as { id: string; secret: string };
  secrets.push(hook.secret);
  return hook.id;
}

describe('anchor doctor', () => {
  let env: Record<string, string>;
  let tunnel: Tunnel;
  let app: ReferenceReceiver;
  let listen: BinListen;
  let hookId: string;

  beforeAll(async () => {
    env = projectEnv();
    const printed = await runBin(['webhooks', 'listen', '--print-secret'], { env });
    expect(printed.code, printed.stderr).toBe(0);
    forwardingSecret = printed.stdout.trim();
    secrets.push(forwardingSecret);
    app = await startReferenceReceiver('correct', forwardingSecret);
    tunnel = await startTunnel();
    listen = await startBinListen(
      ['--register', tunnel.url, '--allow-local-targets', '--forward-to', app.url, '--json'],
      env,
    );
    tunnel.to(listen.url);
    hookId = /temporary webhook (wh_\w+)/.exec(listen.stderr())![1]!;
    const sent = await runBin(['webhooks', 'test', hookId, '--event', 'task.completed', '--wait', '--json'], { env });
    expect(sent.code, sent.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    listen?.kill();
    await tunnel?.close();
    await app?.close();
  });

  it(
    'passes every check on a working setup: listener behind a tunnel, a recorded delivery, the forwarding secret',
    SLOW,
    async () => {
      const { by, report, code } = await doctor(['--webhook', hookId, '--event', 'task.completed'], env);
      expect(code).toBe(0);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(Object.fromEntries(IDS.map((id) => [id, state(by[id]!)]))).toEqual(
        Object.fromEntries(IDS.map((id) => [id, 'ok'])),
      );
      expect(by.key!.detail).toContain('ANCHOR_API_KEY');
      expect(by.api!.detail).toContain(emu.url);
      expect(by.clock!.detail).toMatch(/^[+-]?\d+ s from the API's clock/);
      expect(by.webhook_url!.detail).toContain('the running listen it delivers to answered');
      expect(by.deliveries!.detail).toMatch(/^last 1: 1 succeeded/);
      expect(by.secret!.detail).toContain('the forwarding secret');
      expect(by.listener!.detail).toContain(`pid ${listen.child.pid}`);
      expect(by.tunnel!.detail).toContain(`${tunnel.url.replace(/\/$/, '')}`);
      expect(by.app!.detail).toMatch(new RegExp(`^your app at ${app.url} answered 200 to rec_`));
    },
  );

  it('says which checks need --webhook, and skips them', SLOW, async () => {
    const { by } = await doctor([], env);
    for (const id of ['webhook_url', 'webhook_state', 'deliveries']) {
      expect(by[id]).toMatchObject({ ok: true, skipped: true, detail: 'needs --webhook <id>' });
    }
    const human = await runBin(['doctor'], { env });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^– webhook_url +skipped: needs --webhook <id>$/m);
    expect(human.stdout).toMatch(/^✓ tunnel /m);
    expect(human.stdout).toContain('`anchor doctor --webhook <id>` runs them');
  });

  it('names a wrong secret file: not the secret Anchor signs with', SLOW, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-doctor-'));
    const wrong = join(dir, 'secret');
    const wrongSecret = 'whsec_not_the_one_anchor_signs_with_0123';
    writeFileSync(wrong, `${wrongSecret}\n`, { mode: 0o600 });
    secrets.push(wrongSecret);
    const { by, code } = await doctor(['--secret-file', wrong], env);
    expect(code).toBe(6);
    expect(by.secret).toMatchObject({ ok: false });
    expect(by.secret!.detail).toContain('does not verify the newest recorded delivery');
    expect(by.secret!.detail).toContain('not the secret Anchor signs with');
    // The record was re-signed for the app: the forwarding secret first, and no rotation of a
    // temporary webhook's secret (listen's alone; rotating it changes nothing for the app).
    expect(by.secret!.detail).toContain('nor the forwarding secret listen re-signed it with');
    expect(by.secret!.fix).toMatch(/^listen re-signed it for your app/);
    expect(by.secret!.fix).toContain('`anchor webhooks listen --print-secret`');
    expect(by.secret!.fix).not.toContain('rotate-secret');
  });

  it('names a tunnel that no longer reaches its listener', SLOW, async () => {
    // The tunnel's local end moves away (a tunnel restarted, pointing at another port).
    tunnel.to(DEAD_TARGET);
    try {
      const { by, code } = await doctor(['--webhook', hookId], env);
      expect(code).toBe(6);
      expect(by.tunnel).toMatchObject({ ok: false });
      expect(by.tunnel!.detail).toContain(`does not reach listen (pid ${listen.child.pid})`);
      expect(by.tunnel!.detail).toContain('answered 502');
      // Started with --register (no tunnel of its own): the fix is the registered URL's, not a --tunnel restart.
      expect(by.tunnel!.fix).toContain(
        `The URL given to --register must reach this listener: check that your tunnel or proxy forwards ${tunnel.url} to port ${listen.port} (listen's --port)`,
      );
      expect(by.tunnel!.fix).not.toContain('restart listen with its tunnel');
      // The URL itself answers (the tunnel does) with a gateway's error, not as the listener.
      expect(by.webhook_url).toMatchObject({ ok: false });
      expect(by.webhook_url!.detail).toContain('answers 502, not from the listen it names: see tunnel');
      expect(by.webhook_url!.fix).toContain('see the fix of the tunnel check');
      expect(by.listener).toMatchObject({ ok: true });
    } finally {
      tunnel.to(listen.url);
    }
  });

  it(
    'says the app behind listen is what is down: app ✗, deliveries from listen, secret ✓ saying so',
    SLOW,
    async () => {
      await app.close();
      const sent = await runBin(['webhooks', 'test', hookId, '--event', 'task.completed', '--wait', '--json'], { env });
      expect(sent.code).toBe(6);
      const { by, code } = await doctor(['--webhook', hookId, '--event', 'task.completed'], env);
      expect(code).toBe(6);
      expect(by.app).toMatchObject({ ok: false });
      expect(by.app!.detail).toContain(`listen could not reach your app at ${app.url}`);
      expect(by.app!.detail).toContain('connection refused — is it running?');
      expect(by.app!.fix).toContain(`Start your app so that it listens at ${app.url}`);
      expect(by.app!.fix).toMatch(/anchor webhooks replay rec_\w+/);
      expect(by.deliveries).toMatchObject({ ok: false });
      expect(by.deliveries!.detail).toContain('answered 502 from listen, for the app behind it');
      expect(by.deliveries!.fix).toContain('listen answered 502 because it could not reach your app (see app)');
      // The forwarding secret is still right, but it did not sign anything the app took.
      expect(by.secret).toMatchObject({ ok: true });
      expect(by.secret!.detail).not.toContain('as listen forwarded it to your app');
      expect(by.secret!.detail).toMatch(
        /is the forwarding secret, which listen re-signed rec_\w+ .*, received \S+ with for your app; but the app did not take it \(see app\)$/,
      );
      expect(by.listener).toMatchObject({ ok: true });
      expect(by.tunnel).toMatchObject({ ok: true });
    },
  );

  it('names a listener killed (kill -9): its URL answers 502 ✗, its stale state file removed once', SLOW, async () => {
    // A crash: no clean exit, so the state file stays and the temporary webhook is not deleted.
    const pid = listen.child.pid!;
    expect(findListeners(env).map((l) => l.alive)).toEqual([true]);
    listen.kill();
    await listen.exited;
    expect(findListeners(env).map((l) => l.alive)).toEqual([false]);
    const { by, code } = await doctor(['--webhook', hookId], env);
    expect(code).toBe(6);
    expect(by.listener).toMatchObject({ ok: false });
    expect(by.listener!.detail).toContain(`listen (pid ${pid}) served, and it no longer runs`);
    expect(by.listener!.detail).toContain(`removed the stale state file of a listen that no longer runs`);
    expect(by.listener!.detail).toContain(`${pid}.json (pid ${pid})`);
    expect(by.listener!.fix).toContain('anchor webhooks listen');
    expect(by.tunnel).toMatchObject({ skipped: true });
    // The tunnel still answers, for a listener that is gone: a gateway's error is not "reachable".
    expect(by.webhook_url).toMatchObject({ ok: false });
    expect(by.webhook_url!.detail).toContain('answers 502 from here (HEAD): a proxy or tunnel answers');
    expect(by.webhook_url!.fix).toContain('`anchor webhooks listen`');
    expect(findListeners(env)).toEqual([]);
    // The next run has nothing stale to report.
    const again = await doctor([], env);
    expect(again.by.listener).toMatchObject({ skipped: true, detail: 'no listen running' });
  });
});

describe('anchor doctor, failures made on purpose', () => {
  it('a refused key (401): key ✗ with the login fix, the webhook checks skipped', SLOW, async () => {
    const env = projectEnv({ ANCHOR_API_KEY: 'not-a-key-the-api-knows' });
    secrets.push('not-a-key-the-api-knows');
    const { by } = await doctor(['--webhook', 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y'], env);
    expect(by.key).toMatchObject({ ok: false });
    expect(by.key!.detail).toContain('refused the key from ANCHOR_API_KEY (401)');
    expect(by.key!.fix).toContain('anchor auth login');
    expect(by.api).toMatchObject({ ok: true });
    expect(by.webhook_state).toMatchObject({ skipped: true });
    expect(by.webhook_state!.detail).toContain('needs an API key the API accepts');
  });

  it('no key at all: key ✗, naming where a key comes from', SLOW, async () => {
    const env = isolatedEnv({ ANCHOR_API_URL: emu.url });
    const { by } = await doctor([], env);
    expect(by.key).toMatchObject({ ok: false });
    expect(by.key!.fix).toContain('ANCHOR_API_KEY');
    expect(by.listener).toMatchObject({ skipped: true, detail: 'no listen running' });
  });

  it('a clock 5 minutes off the API: clock ✗ with the offset and how to sync', SLOW, async () => {
    const unexpected: string[] = [];
    const proxy = http.createServer((req, res) => {
      // doctor without --webhook asks the API one thing.
      if (req.method !== 'GET' || req.url !== '/v1/webhooks') unexpected.push(`${req.method} ${req.url}`);
      const out = http.request(`${emu.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        const headers = { ...answer.headers };
        const date = Date.parse(String(answer.headers.date));
        if (Number.isNaN(date)) unexpected.push(`no Date header from the emulator: ${answer.headers.date}`);
        headers.date = new Date(date + 5 * 60_000).toUTCString();
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      });
      out.on('error', (e) => {
        unexpected.push(`proxy: ${e.message}`);
        res.writeHead(502).end();
      });
      req.pipe(out);
    });
    const { origin } = await listenOn(proxy, 0, '127.0.0.1');
    try {
      const env = projectEnv({ ANCHOR_API_URL: origin });
      const { by, code } = await doctor([], env);
      expect(code).toBe(6);
      expect(by.clock).toMatchObject({ ok: false });
      // This machine is behind the API's (rewritten) clock by about 300 s.
      expect(by.clock!.detail).toMatch(/clock is -(299|300|301) s from the API's/);
      expect(by.clock!.fix).toContain('timedatectl set-ntp true');
      expect(by.key).toMatchObject({ ok: true });
      const human = await runBin(['doctor'], { env });
      expect(human.stdout).toMatch(/^✗ clock +this machine's clock is -\d+ s/m);
      expect(human.stdout).toMatch(/^ +fix: Set this machine's clock right/m);
      expect(human.stderr).toContain('1 check failed: clock');
    } finally {
      await closeServer(proxy);
    }
    expect(unexpected).toEqual([]);
  });

  it(
    'a disabled webhook, and one not subscribed to --event: webhook_state ✗ with the command that fixes it',
    SLOW,
    async () => {
      const env = projectEnv();
      const receiver = await startReferenceReceiver('correct', 'whsec_unused_here_0123456789');
      try {
        const id = await create(env, receiver.url);
        const disabled = await runBin(['webhooks', 'disable', id], { env });
        expect(disabled.code, disabled.stderr).toBe(0);
        const off = await doctor(['--webhook', id], env);
        expect(off.by.webhook_state).toMatchObject({ ok: false });
        expect(off.by.webhook_state!.detail).toContain('it is disabled');
        expect(off.by.webhook_state!.fix).toContain(`anchor webhooks enable ${id}`);
        expect(off.by.webhook_url).toMatchObject({ ok: true });
        expect(off.by.deliveries).toMatchObject({ skipped: true });

        expect((await runBin(['webhooks', 'enable', id], { env })).code).toBe(0);
        const other = await doctor(['--webhook', id, '--event', 'task.failed'], env);
        expect(other.by.webhook_state).toMatchObject({ ok: false });
        expect(other.by.webhook_state!.detail).toContain('not subscribed to task.failed (only task.completed)');
        expect(other.by.webhook_state!.fix).toContain(`anchor webhooks update ${id} --add-event task.failed`);
      } finally {
        await receiver.close();
      }
    },
  );

  it(
    'a dead target: webhook_url ✗ (refused), and its failed deliveries summarised with the last error',
    SLOW,
    async () => {
      const env = projectEnv();
      const id = await create(env, DEAD_TARGET);
      const sent = await runBin(['webhooks', 'test', id, '--event', 'task.completed', '--wait', '--json'], { env });
      expect(sent.code).toBe(6);
      const { by } = await doctor(['--webhook', id], env);
      expect(by.webhook_url).toMatchObject({ ok: false });
      expect(by.webhook_url!.detail).toContain('does not answer from here: connection refused');
      expect(by.webhook_url!.fix).toContain('Nothing listens at 127.0.0.1:9');
      expect(by.deliveries).toMatchObject({ ok: false });
      expect(by.deliveries!.detail).toMatch(
        /^last 1: 1 dead; the newest \(task\.completed, evt_\w+\) dead after \d+ attempts: /,
      );
      expect(by.deliveries!.fix).toContain('could not reach your receiver');

      // Without the local-targets switch, doctor says Anchor itself cannot deliver there.
      const strict = { ...env };
      delete strict.ANCHOR_ALLOW_LOCAL_TARGETS;
      const rules = await doctor(['--webhook', id], strict);
      expect(rules.by.webhook_url!.detail).toContain(`Anchor cannot deliver to ${DEAD_TARGET}`);
      expect(rules.by.webhook_url!.fix).toContain(`anchor webhooks update ${id} --url`);
    },
  );

  it('an unknown webhook id: webhook_state ✗ naming it', SLOW, async () => {
    const { by } = await doctor(['--webhook', 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y'], projectEnv());
    expect(by.webhook_state).toMatchObject({ ok: false });
    expect(by.webhook_state!.detail).toContain('no webhook wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y in this project');
    // The likely causes: a stopped listen's temporary webhook, or a key of another project.
    expect(by.webhook_state!.fix).toContain('listen deleted it when it stopped: start listen again');
    expect(by.webhook_state!.fix).toContain('anchor webhooks list');
    expect(by.webhook_state!.fix).toContain("check that the API key is the project's");
    expect(by.webhook_url).toMatchObject({ skipped: true });
  });

  it('a forwarding secret file others may read: secret ✗ with how to fix the file, not a crash', SLOW, async () => {
    const env = projectEnv();
    const printed = await runBin(['webhooks', 'listen', '--print-secret'], { env });
    expect(printed.code, printed.stderr).toBe(0);
    secrets.push(printed.stdout.trim());
    const path = forwardingSecretPath(env, 'default');
    chmodSync(path, 0o644);
    const { by } = await doctor([], env);
    expect(by.secret).toMatchObject({ ok: false });
    expect(by.secret!.detail).toContain('the forwarding secret could not be read');
    expect(by.secret!.detail).toContain(path);
  });

  it('a secret that verifies nothing recorded yet is skipped, with why', SLOW, async () => {
    secrets.push('whsec_only_in_the_env_0123456789');
    const { by } = await doctor([], projectEnv({ ANCHOR_WEBHOOK_SECRET: 'whsec_only_in_the_env_0123456789' }));
    expect(by.secret).toMatchObject({ skipped: true });
    expect(by.secret!.detail).toContain('no delivery recorded yet');
  });
});
