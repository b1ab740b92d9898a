// A live smoke test of `listen --tunnel` through the real service (Cloudflare's quick tunnels,
// ngrok with your authtoken, or localhost.run over ssh), run only when opted in with
// ANCHOR_LIVE_TUNNEL=cloudflared|ngrok|ssh: it needs the program, the network, and (ngrok) an
// account. The emulator delivers through the public https:// URL; the app verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { isolatedEnv } from '../helpers/bin.js';
import type { ReferenceReceiver } from '../helpers/reference-receivers.js';
import { tunnelJourney, appWithForwardingSecret } from '../helpers/tunnel-journey.js';

const LIVE = process.env.ANCHOR_LIVE_TUNNEL;
const KEY = 'tunnel-live-key';

describe.skipIf(LIVE === undefined)(
  'listen --tunnel, live (opt-in: set ANCHOR_LIVE_TUNNEL=cloudflared, ngrok or ssh; skipped otherwise)',
  () => {
    let emu: CheckedEmulator;
    let env: Record<string, string>;
    let app: ReferenceReceiver;
    beforeAll(async () => {
      emu = await startCheckedEmulator({ apiKeys: [KEY], allowLocalTargets: false });
      env = isolatedEnv({ ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: KEY });
      app = await appWithForwardingSecret(env);
    });
    afterAll(async () => {
      await app?.close();
      await emu?.close();
    });

    it(
      `${LIVE}: a public https:// URL, proven, then a verified delivery and a clean exit`,
      { timeout: 120_000 },
      async () => {
        const { publicUrl } = await tunnelJourney(['--tunnel', LIVE!], env, app, LIVE!, { live: true });
        expect(publicUrl).toMatch(/^https:\/\//);
      },
    );
  },
);
