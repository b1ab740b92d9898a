// `listen --tunnel cloudflared`, `--tunnel ngrok` and `--tunnel-cmd` pass the same journey as ssh
// through stand-ins on PATH (test/fixtures/tunnels) that print each program's real log format with
// a loopback URL and carry real traffic: start → proof → the temporary webhook at the tunnel's URL
// → a delivery verified by the app → SIGINT → exit 0, webhook deleted, program gone, state removed.
// The stand-ins refuse to run (exit 3) if anything of anchor's reached their environment, and
// (exit 2) unless their arguments are the documented ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { isolatedEnv } from '../helpers/bin.js';
import type { ReferenceReceiver } from '../helpers/reference-receivers.js';
import { FAKE_TUNNELS, tunnelJourney, withFakeTunnels, appWithForwardingSecret } from '../helpers/tunnel-journey.js';

const KEY = 'tunnel-fakes-key';
const JOURNEY = { timeout: 30_000 };

let emu: CheckedEmulator;
let env: Record<string, string>;
let app: ReferenceReceiver;
beforeAll(async () => {
  emu = await startCheckedEmulator({ apiKeys: [KEY] });
  // The key and a webhook secret in the environment: neither may reach the tunnel program.
  env = withFakeTunnels(
    isolatedEnv({
      ANCHOR_API_URL: emu.url,
      ANCHOR_API_KEY: KEY,
      ANCHOR_WEBHOOK_SECRET: 'whsec_not_for_tunnels_0123456789',
    }),
  );
  app = await appWithForwardingSecret(env);
});
afterAll(async () => {
  await app?.close();
  await emu?.close();
  expect(emu.violations).toEqual([]);
});

describe('listen --tunnel through the stand-ins', () => {
  it('cloudflared: its quick-tunnel banner, then a verified delivery and a clean exit', JOURNEY, async () => {
    const { stderr } = await tunnelJourney(['--tunnel', 'cloudflared'], env, app, 'cloudflared');
    expect(stderr).not.toContain('developers.cloudflare.com');
  });

  it('ngrok: its JSON log, then a verified delivery and a clean exit', JOURNEY, async () => {
    await tunnelJourney(['--tunnel', 'ngrok'], env, app, 'ngrok');
  });

  it('--tunnel-cmd: the first URL the command prints, {port} filled in', JOURNEY, async () => {
    await tunnelJourney(['--tunnel-cmd', `'${join(FAKE_TUNNELS, 'any-tunnel')}' --to {port}`], env, app, 'cmd');
  });
});
