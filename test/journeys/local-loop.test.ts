// Journeys J3 and J4 from the built binary against real receivers (Express 5, Fastify 5, Hono,
// Flask, FastAPI), each in its correct form, configured ONCE with the forwarding secret that
// `listen --print-secret` prints (as a line in its .env): every real delivery of the emulator that
// `listen --register … --forward-to` forwards is verified by the app, across three restarts with
// a new tunnel URL and a new temporary webhook each time. Then the record: the event's id names
// its record in `received show` and `replay`; a replay is recorded and linked to its original, the
// deduplicating app does not act on it again, and with `--new-id` it does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { isolatedEnv, runBin } from '../helpers/bin.js';
import { FRAMEWORKS, PYTHON_FRAMEWORKS, startFrameworkReceiver, type Framework } from '../helpers/frameworks/index.js';
import { startBinListen, waitFor, type BinListen } from '../helpers/listener.js';
import { lacks } from '../helpers/tools.js';
import { startTunnel } from '../helpers/tunnel.js';

const RUN = FRAMEWORKS.filter((f) => !(PYTHON_FRAMEWORKS.includes(f) && lacks('python-frameworks')));
const keyOf = (f: Framework) => `local-loop-journey-${f}`;
// A journey starts listen three times and runs seven commands: a journey's deadline, not a command's.
const JOURNEY = { timeout: 120_000 };

let emu: CheckedEmulator;
beforeAll(async () => {
  // One project per framework, so that the frameworks' journeys run side by side without an event
  // of one reaching the temporary webhook of another.
  emu = await startCheckedEmulator({ apiKeys: FRAMEWORKS.map(keyOf) });
});
afterAll(async () => {
  await emu.close();
  expect(emu.violations).toEqual([]);
});

interface Line {
  id: string;
  record_id?: string;
  forward?: { status: number };
}

/** A real event of the emulator, to every webhook of the framework's project: its envelope id. */
async function emit(f: Framework): Promise<string> {
  const res = await fetch(`${emu.url}/_emulator/events`, {
    method: 'POST',
    headers: { 'anchor-api-key': keyOf(f), 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'task.completed' }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

/** listen's --json line for event `id`, once the app has answered it. */
const forwarded = (l: BinListen, id: string) =>
  waitFor(
    `listen forwarding ${id}`,
    () =>
      l.lines
        .filter((s) => s.startsWith('{'))
        .map((s) => JSON.parse(s) as Line)
        .find((x) => x.id === id && x.forward),
    () => (l.child.exitCode !== null ? `listen exited: ${l.stderr()}` : undefined),
  );

describe.concurrent('the local loop with a real app, configured once', () => {
  it.each(RUN)(
    '%s: verifies what listen --register forwards across three restarts; ids name records; replays are recorded, --new-id is acted on',
    JOURNEY,
    async (f) => {
      const env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: keyOf(f) });
      const printed = await runBin(['webhooks', 'listen', '--print-secret'], { env });
      expect(printed.code, printed.stderr).toBe(0);
      // The one line of the app's .env.
      const app = await startFrameworkReceiver(f, 'correct', { secret: printed.stdout.trim() });
      try {
        const events: string[] = [];
        const tunnels = new Set<string>();
        for (let run = 0; run < 3; run++) {
          const tunnel = await startTunnel();
          tunnels.add(tunnel.url);
          const l = await startBinListen(
            ['--register', tunnel.url, '--allow-local-targets', '--forward-to', app.url, '--json'],
            env,
          );
          tunnel.to(l.url);
          try {
            const id = await emit(f);
            const line = await forwarded(l, id);
            expect(line.forward!.status, `${f}, run ${run + 1}: ${l.stderr()}`).toBe(200);
            expect(line.record_id).toMatch(/^rec_/);
            events.push(id);
          } finally {
            expect(await l.stop(), l.stderr()).toBe(0);
            await tunnel.close();
          }
          const hooks = await runBin(['webhooks', 'list', '--json'], { env });
          expect(JSON.parse(hooks.stdout), 'the temporary webhook is deleted on exit').toEqual([]);
        }
        expect(tunnels.size).toBe(3);
        // Each delivery verified and acted on once, by an app whose configuration never changed.
        expect(await app.processed()).toEqual(events);

        // J4: the event id names its record.
        const last = events.at(-1)!;
        const shown = await runBin(['webhooks', 'received', 'show', last, '--json'], { env });
        expect(shown.code, shown.stderr).toBe(0);
        const original = JSON.parse(shown.stdout) as { id: string; event_id: string; verdict: string };
        expect(original).toMatchObject({ event_id: last, verdict: 'ok' });

        // A replay re-signed with the forwarding secret: verified by the app, which has the event
        // already and does not act again; the replay is recorded, linked to its original.
        const again = await runBin(['webhooks', 'replay', last, '--json'], { env });
        expect(again.code, again.stderr).toBe(0);
        const [replayed] = JSON.parse(again.stdout) as Array<{ status: number; replay_record_id: string }>;
        expect(replayed!.status).toBeGreaterThanOrEqual(200);
        expect(replayed!.status).toBeLessThan(300);
        expect(await app.processed()).toEqual(events);
        const rows = JSON.parse((await runBin(['webhooks', 'received', '--json'], { env })).stdout) as Array<{
          id: string;
          replay_of?: string;
        }>;
        expect(rows.find((r) => r.id === replayed!.replay_record_id)?.replay_of).toBe(original.id);

        // With a fresh envelope id, the deduplicating app acts on it again.
        const fresh = await runBin(['webhooks', 'replay', last, '--new-id', '--json'], { env });
        expect(fresh.code, fresh.stderr).toBe(0);
        const [renewed] = JSON.parse(fresh.stdout) as Array<{ event_id: string; status: number }>;
        expect(renewed!.event_id).toMatch(/^evt_/);
        expect(renewed!.event_id).not.toBe(last);
        expect(await app.processed()).toEqual([...events, renewed!.event_id]);
        // The id it printed names that replay: no original has it.
        const renewedShown = await runBin(['webhooks', 'received', 'show', renewed!.event_id, '--json'], { env });
        expect(renewedShown.code, renewedShown.stderr).toBe(0);
        expect(JSON.parse(renewedShown.stdout)).toMatchObject({ event_id: renewed!.event_id, replay_of: original.id });
        // `replay --last` skips the replays just recorded: it sends the original again.
        const lastRec = await runBin(['webhooks', 'replay', '--last', '--json'], { env });
        expect(lastRec.code, lastRec.stderr).toBe(0);
        expect((JSON.parse(lastRec.stdout) as Array<{ record_id: string }>)[0]!.record_id).toBe(original.id);
      } finally {
        await app.close();
      }
    },
  );
});
