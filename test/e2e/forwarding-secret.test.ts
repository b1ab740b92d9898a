// The local loop with the real API, from the built binary against the emulator: an app configured
// once with `listen --print-secret` verifies every delivery `listen --register … --forward-to`
// forwards, across three restarts with a new tunnel URL and a new temporary webhook each time;
// `--reset-secret` makes it refuse (401) until it is configured again; --no-dedupe lets a
// duplicate through to the app and the default does not; the record ids of the --json lines are
// `received`'s; `replay` and `events trigger` sign with the forwarding secret; and the secret is
// never in listen's output or its command line.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { startBinListen, waitFor, type BinListen } from '../helpers/listener.js';
import { startReferenceReceiver, type ReferenceReceiver } from '../helpers/reference-receivers.js';
import { startTunnel } from '../helpers/tunnel.js';

const KEY = 'forwarding-secret-journey-key';
let emu: CheckedEmulator;
let env: Record<string, string>;
beforeAll(async () => {
  emu = await startCheckedEmulator({ apiKeys: [KEY] });
  env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: KEY });
});
afterAll(async () => {
  await emu.close();
  expect(emu.violations).toEqual([]);
});

interface Line {
  id: string;
  type: string;
  record_id?: string;
  duplicate?: boolean;
  forward?: { status: number };
}

async function printedSecret(args: string[] = []): Promise<string> {
  const r = await runBin(['webhooks', 'listen', ...args, '--print-secret'], { env });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
  return r.stdout.trim();
}

/** A real event from the emulator to every subscribed webhook; resolves with its envelope id. */
async function emit(type = 'task.completed'): Promise<string> {
  const res = await fetch(`${emu.url}/_emulator/events`, {
    method: 'POST',
    headers: { 'anchor-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ type }),
  });
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { id: string }).id;
}

const linesOf = (l: BinListen): Line[] => l.lines.filter((s) => s.startsWith('{')).map((s) => JSON.parse(s) as Line);

/** The line of event `id` whose forward has an answer, once there is one. */
const forwarded = (l: BinListen, id: string, n = 1) =>
  waitFor(
    `listen forwarding ${id}`,
    () => {
      const done = linesOf(l).filter((x) => x.id === id && x.forward);
      return done.length >= n ? done : undefined;
    },
    () => (l.child.exitCode !== null ? `exited: ${l.stderr()}` : undefined),
  );

/** One run of `listen --register` behind a fresh tunnel (a new public URL), forwarding to `app`. */
async function run(app: ReferenceReceiver, extra: string[] = []) {
  const tunnel = await startTunnel();
  const l = await startBinListen(
    ['--register', tunnel.url, '--allow-local-targets', '--forward-to', app.url, '--json', ...extra],
    env,
  );
  tunnel.to(l.url);
  const stop = async () => {
    expect(await l.stop(), l.stderr()).toBe(0);
    await tunnel.close();
    const hooks = JSON.parse((await runBin(['webhooks', 'list', '--json'], { env })).stdout) as unknown[];
    expect(hooks, 'the temporary webhook is deleted on exit').toEqual([]);
  };
  return { l, tunnel, stop };
}

/** No secret of 64 hex characters (the forwarding one, or a temporary webhook's) in what listen wrote. */
function expectNoSecret(l: BinListen, secret: string): void {
  const output = l.stdout() + l.stderr();
  expect(output).not.toContain(secret);
  expect(output).not.toMatch(/[0-9a-f]{64}/);
}

// Each test starts listen five times or more, one after another: a journey, slower than one
// command on a loaded machine (alone: 5–9 s), so its deadline is a journey's.
const JOURNEY = { timeout: 90_000 };

describe('the forwarding secret, journey', () => {
  it(
    'one .env line serves three restarts; --reset-secret breaks it until the app is configured again',
    JOURNEY,
    async () => {
      const secret = await printedSecret();
      expect(await printedSecret()).toBe(secret);
      const app = await startReferenceReceiver('correct', secret);
      const seenUrls = new Set<string>();
      try {
        for (let i = 0; i < 3; i++) {
          const { l, tunnel, stop } = await run(app);
          try {
            seenUrls.add(tunnel.url);
            expect(l.stderr()).toContain('signed with the forwarding secret');
            expect(l.stderr()).toContain('anchor webhooks listen --print-secret');
            const id = await emit();
            const [line] = await forwarded(l, id);
            expect(line!.forward!.status, l.stderr()).toBe(200);
            expect(app.accepted.map((a) => a.envelope.id)).toContain(id);
            // The command line of listen holds no secret (it has none to hold).
            const cmdline = `/proc/${l.child.pid}/cmdline`;
            if (existsSync(cmdline)) expect(readFileSync(cmdline, 'utf8')).not.toContain(secret);
          } finally {
            await stop();
          }
          expectNoSecret(l, secret);
        }
        expect(seenUrls.size).toBe(3);
        expect(app.accepted).toHaveLength(3);

        const reset = await runBin(['webhooks', 'listen', '--reset-secret'], { env });
        expect(reset.code).toBe(0);
        expect(reset.stdout).toBe('');
        expect(reset.stderr).toContain("Your app's .env must get it");
        const refused = await run(app);
        try {
          const id = await emit();
          const [line] = await forwarded(refused.l, id);
          expect(line!.forward!.status).toBe(401);
        } finally {
          await refused.stop();
        }

        const reconfigured = await startReferenceReceiver('correct', await printedSecret());
        const again = await run(reconfigured);
        try {
          const id = await emit();
          const [line] = await forwarded(again.l, id);
          expect(line!.forward!.status).toBe(200);
        } finally {
          await again.stop();
          await reconfigured.close();
        }
      } finally {
        await app.close();
      }
    },
  );

  it(
    '--no-dedupe forwards a duplicate to the app and the default does not; record ids are received’s; replay and trigger sign with the forwarding secret',
    JOURNEY,
    async () => {
      const secret = await printedSecret(['--profile', 'dedupe']);
      const profileEnv = { ...env, ANCHOR_PROFILE: 'dedupe' };
      const app = await startReferenceReceiver('correct', secret);
      const runs = { dropped: [] as string[], forwarded: [] as string[] };
      try {
        for (const mode of ['dropped', 'forwarded'] as const) {
          const tunnel = await startTunnel();
          const l = await startBinListen(
            [
              '--register',
              tunnel.url,
              '--allow-local-targets',
              '--forward-to',
              app.url,
              '--json',
              ...(mode === 'forwarded' ? ['--no-dedupe'] : []),
            ],
            profileEnv,
          );
          tunnel.to(l.url);
          try {
            expect(l.stderr()).toContain(
              mode === 'forwarded' ? 'duplicates: forwarded to the app too' : 'duplicates: dropped before the app',
            );
            const id = await emit();
            const [line] = await forwarded(l, id);
            expect(line!.forward!.status).toBe(200);
            // Anchor's own request again, as received: a duplicate of the envelope for listen.
            const dup = await runBin(
              ['webhooks', 'replay', line!.record_id!, '--as-received', '--to', l.url, '--json'],
              {
                env: profileEnv,
              },
            );
            expect(dup.code, dup.stderr).toBe(0);
            runs[mode].push((JSON.parse(dup.stdout) as Array<{ response_body: string }>)[0]!.response_body);
            if (mode === 'forwarded') {
              const both = await forwarded(l, id, 2);
              expect(both[1]).toMatchObject({ duplicate: true, forward: { status: 200 } });
            } else expect(linesOf(l).filter((x) => x.id === id)).toHaveLength(1);

            const received = JSON.parse(
              (await runBin(['webhooks', 'received', '--json'], { env: profileEnv })).stdout,
            ) as Array<{ id: string; event_id?: string }>;
            expect(received.map((r) => r.id)).toContain(line!.record_id);
            expect(received.find((r) => r.id === line!.record_id)?.event_id).toBe(id);

            // No --secret-file, no ANCHOR_WEBHOOK_SECRET: re-signed with the forwarding secret.
            const replayed = await runBin(['webhooks', 'replay', line!.record_id!, '--to', app.url, '--json'], {
              env: profileEnv,
            });
            expect(replayed.code, replayed.stderr).toBe(0);
            expect(replayed.stdout + replayed.stderr).not.toContain(secret);
          } finally {
            expect(await l.stop(), l.stderr()).toBe(0);
            await tunnel.close();
          }
          expectNoSecret(l, secret);
        }
        // The default answered the duplicate itself; --no-dedupe relayed the app's own answer.
        expect(runs.dropped[0]).toContain('"duplicate":true');
        expect(runs.forwarded[0]).toBe('already had it');

        const accepted = app.accepted.length;
        const triggered = await runBin(['events', 'trigger', 'task.failed', '--forward-to', app.url], {
          env: profileEnv,
        });
        expect(triggered.code, triggered.stderr).toBe(0);
        expect(app.accepted).toHaveLength(accepted + 1);
        expect(triggered.stdout + triggered.stderr).not.toContain(secret);
      } finally {
        await app.close();
      }
    },
  );
});
