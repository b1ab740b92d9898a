// After `kill -9` of a `listen --tunnel`, its tunnel program runs on (no clean-up runs on SIGKILL)
// and would carry deliveries to whatever listens next on that port. The next listen says so, with
// the pid and `kill <pid>`, and leaves it running (stopping it is the user's call); its note about
// the leftover temporary webhook names --tunnel, the way that webhook was made. From the built
// binary with the cloudflared stand-in, against the emulator. `anchor doctor` in between fails the
// tunnel check with the same `kill <pid>` and keeps the state file (the only record of that
// program, which the next listen reads); once the program is gone, doctor removes it.
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { startBinListen, waitFor } from '../helpers/listener.js';
import { running, temporaryId, tunnelPid, withTunnelEmulator } from '../helpers/tunnel-journey.js';
import { findListeners } from '../../src/local/listen-state.js';
import { commandLineOf } from '../../src/local/tunnel/leftover.js';
import type { DoctorCheck } from '../../src/commands/doctor/report.js';

/** One check of doctor's --json (the contract's shape). */
type Check = DoctorCheck;

/** doctor --json's tunnel check, its exit code, and the human output's lines of that check. */
async function doctorTunnel(env: Record<string, string>) {
  const json = await runBin(['doctor', '--json'], { env });
  const { checks } = JSON.parse(json.stdout) as { ok: boolean; checks: Check[] };
  const human = await runBin(['doctor'], { env });
  return { code: json.code, tunnel: checks.find((c) => c.id === 'tunnel')!, human: human.stdout };
}

const KEY = 'tunnel-leftover-key';

let env: Record<string, string>;
withTunnelEmulator(KEY, (made) => (env = made.env));

describe('listen --tunnel after a listener was killed with SIGKILL', () => {
  // Where there is no /proc/<pid>/cmdline to tell the program from a reused pid, nothing is said.
  const named = process.platform === 'linux';
  it(
    named
      ? 'names the tunnel program it left running, with `kill <pid>`, and does not kill it'
      : 'says nothing of a pid it cannot check, and does not kill it',
    async () => {
      const crashed = await startBinListen(['--tunnel', 'cloudflared', '--allow-local-targets'], env);
      const pid = tunnelPid(crashed)!;
      const leftId = temporaryId(crashed)!;
      try {
        // The state file names the tunnel program.
        expect(findListeners(env).map((l) => l.state.tunnel_pid)).toEqual([pid]);
        crashed.child.kill('SIGKILL');
        await crashed.exited;
        expect(running(pid), 'SIGKILL leaves the tunnel program running').toBe(true);

        // doctor names it as listen does, and does not erase the state file that records it.
        const doc = await doctorTunnel(env);
        if (named) {
          expect(doc.code).toBe(6);
          expect(doc.tunnel).toMatchObject({ ok: false });
          expect(doc.tunnel.detail).toContain(
            `a cloudflared tunnel (pid ${pid}) started by listen (pid ${crashed.child.pid}), which was killed, still runs`,
          );
          expect(doc.tunnel.fix).toContain(`kill ${pid}`);
          expect(doc.human).toMatch(new RegExp(`^✗ tunnel .*pid ${pid}`, 'm'));
          expect(doc.human).toContain(`kill ${pid}`);
          expect(doc.human).not.toContain('Nothing wrong found');
          expect(findListeners(env).map((l) => l.state.tunnel_pid)).toEqual([pid]);
        }

        const next = await startBinListen(['--tunnel', 'cloudflared', '--allow-local-targets'], env);
        try {
          const port = findListeners(env).find((l) => !l.alive)!.state.port;
          const note = `! A cloudflared tunnel (pid ${pid}) started by a listener that was killed still runs, forwarding to port ${port}: stop it with \`kill ${pid}\`.`;
          expect(next.stderr().includes(note), next.stderr()).toBe(named);
          expect(next.stderr()).toContain(
            `1 temporary webhook(s) left by an earlier \`listen --register\` or \`--tunnel\`: ${leftId}`,
          );
          expect(await next.stop('SIGINT'), next.stderr()).toBe(0);
        } finally {
          next.kill();
        }
        expect(running(pid), 'listen never kills it itself').toBe(true);

        // Once the user stops it, doctor removes the stale file and the tunnel check no longer fails.
        process.kill(pid, 'SIGKILL');
        await waitFor(`tunnel program ${pid} gone`, () => (commandLineOf(pid) === undefined ? true : undefined));
        const after = await doctorTunnel(env);
        expect(after.tunnel.ok, after.tunnel.detail).toBe(true);
        expect(findListeners(env).filter((l) => !l.alive)).toEqual([]);
      } finally {
        crashed.kill();
        if (running(pid)) process.kill(pid, 'SIGKILL');
      }
    },
  );
});
