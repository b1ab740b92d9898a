// `listen --register` restarted on the same public URL (a reserved tunnel domain), from the built
// binary against the emulator: a delivery of the previous run that Anchor still retries (delete
// stops new fan-out, not deliveries in flight) comes signed with the previous temporary webhook's
// secret, and the new run verifies it and forwards it re-signed to the app, instead of a 401 that
// loses the event. And a delivery that died while no listener ran is brought back with
// `--webhook <the old temporary webhook> --backfill`, beside --register, signed as listen forwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { startBinListen, waitFor, type BinListen } from '../helpers/listener.js';
import { appWithForwardingSecret } from '../helpers/tunnel-journey.js';
import type { ReferenceReceiver } from '../helpers/reference-receivers.js';
import { startTunnel, type Tunnel } from '../helpers/tunnel.js';

const KEY = 'register-restart-key';
const JOURNEY = { timeout: 90_000 };
// Where a tunnel points while no listener runs: a port nothing listens on (the tunnel answers 502).
const NOWHERE = 'http://127.0.0.1:9';

let emu: CheckedEmulator;
let env: Record<string, string>;
let app: ReferenceReceiver;
beforeAll(async () => {
  // Retries far enough apart for a listener to stop and another to start, many enough not to run out.
  emu = await startCheckedEmulator({ apiKeys: [KEY], retryDelaysMs: [1500, 1500, 1500, 1500, 1500] });
  env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: KEY });
  app = await appWithForwardingSecret(env);
});
afterAll(async () => {
  await app?.close();
  await emu.close();
  expect(emu.violations).toEqual([]);
});

async function emit(): Promise<string> {
  const res = await fetch(`${emu.url}/_emulator/events`, {
    method: 'POST',
    headers: { 'anchor-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'task.completed' }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

const temporaryId = (l: BinListen) => /temporary webhook (wh_\w+)/.exec(l.stderr())?.[1];

interface LogRow {
  event_id?: string;
  status: string;
  response_status?: number | null;
}

/** The webhook's log row of the event, once `done` holds for it. */
async function logRow(webhook: string, event: string, done: (row: LogRow) => boolean) {
  return waitFor(`the log of ${webhook} for ${event}`, async () => {
    const r = await runBin(['webhooks', 'deliveries', webhook, '--json'], { env });
    const rows = (JSON.parse(r.stdout) as { events: LogRow[] }).events;
    return rows.find((x) => x.event_id === event && done(x));
  });
}

async function register(tunnel: Tunnel, extra: string[] = []) {
  const l = await startBinListen(
    ['--register', tunnel.url, '--allow-local-targets', '--forward-to', app.url, '--json', ...extra],
    env,
  );
  tunnel.to(l.url);
  return l;
}

describe('listen --register restarted on the same public URL', () => {
  it('a retry of the previous run verifies and reaches the app, re-signed', JOURNEY, async () => {
    const tunnel = await startTunnel();
    try {
      const first = await register(tunnel);
      const webhook = temporaryId(first)!;
      expect(webhook).toMatch(/^wh_/);
      // The tunnel's local end goes down: Anchor's first attempt gets 502 and is retried later.
      tunnel.to(NOWHERE);
      const event = await emit();
      // Its first attempt failed (the tunnel's 502): a retry is on its way.
      await logRow(webhook, event, (row) => row.response_status === 502);
      expect(await first.stop(), first.stderr()).toBe(0);
      // The next run, on the same public URL, with a temporary webhook (and a secret) of its own.
      const second = await register(tunnel);
      try {
        expect(temporaryId(second)).not.toBe(webhook);
        const line = await waitFor(`the retry of ${event}`, () =>
          second.lines
            .filter((s) => s.startsWith('{'))
            .map((s) => JSON.parse(s) as { id: string; record_id: string; forward?: { status: number } })
            .find((x) => x.id === event && x.forward),
        );
        expect(line.forward!.status, second.stderr()).toBe(200);
        expect(app.accepted.map((a) => a.envelope.id)).toContain(event);
        expect(second.stderr()).not.toContain('signature check failed');
        // "As received" is as the app received it: re-signed with the forwarding secret at Anchor's
        // timestamp (the record keeps Anchor's own signature, made with a temporary secret).
        const asReceived = await runBin(['webhooks', 'replay', line.record_id, '--as-received', '--json'], { env });
        expect(asReceived.code, asReceived.stderr).toBe(0);
        expect((JSON.parse(asReceived.stdout) as Array<{ status: number }>)[0]!.status).toBe(200);
      } finally {
        expect(await second.stop(), second.stderr()).toBe(0);
      }
    } finally {
      await tunnel.close();
    }
  });

  it(
    'a delivery that died while no listener ran comes back with --webhook <old> --backfill beside --register',
    JOURNEY,
    async () => {
      const tunnel = await startTunnel();
      try {
        const first = await register(tunnel);
        const webhook = temporaryId(first)!;
        tunnel.to(NOWHERE);
        const event = await emit();
        expect(await first.stop(), first.stderr()).toBe(0);
        // Nobody listens until every attempt has failed.
        await logRow(webhook, event, (row) => row.status === 'dead');
        expect(app.accepted.map((a) => a.envelope.id)).not.toContain(event);

        const again = await register(tunnel, ['--webhook', webhook, '--backfill', '1h']);
        try {
          expect(again.stderr()).toContain(`Backfill: 1 event(s) of ${webhook} had not succeeded`);
          // Signed as listen forwards under --register: the app, configured once, verifies it.
          expect(app.accepted.map((a) => a.envelope.id)).toContain(event);
        } finally {
          expect(await again.stop(), again.stderr()).toBe(0);
        }
      } finally {
        await tunnel.close();
      }
    },
  );
});

describe("listen --register with the app's own URL", () => {
  // Deliveries would go straight to the app, signed with a temporary secret it cannot know: refused
  // as bad flags, before any webhook is made, naming what --register is for.
  const APP = 'http://localhost:3000/webhooks/anchor';
  it.each([
    ['the default --forward-to', ['--register', APP, '--forward-to', APP], `(--forward-to ${APP})`],
    [
      'a route, with a trailing slash',
      ['--register', `${APP}/`, '--forward-to', `task.*=${APP}`, '--allow-local-targets'],
      `(--forward-to 'task.*=${APP}')`,
    ],
  ])('is refused with %s: exit 2, nothing registered', async (_name, args, names) => {
    const before = (await runBin(['webhooks', 'list', '--json'], { env })).stdout;
    const r = await runBin(['webhooks', 'listen', ...args], { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("is your app's own URL");
    expect(r.stderr).toContain(names);
    expect(r.stderr).toContain('--register takes the public URL that reaches this listener (its --port)');
    expect(r.stderr).toContain('--tunnel cloudflared|ngrok|ssh');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await runBin(['webhooks', 'list', '--json'], { env })).stdout).toBe(before);

    const json = await runBin(['webhooks', 'listen', ...args, '--json'], { env });
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stderr) as { error: { code: string } }).error.code).toBe('usage');
  });
});
