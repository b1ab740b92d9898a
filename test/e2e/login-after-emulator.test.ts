// J1 then the real API: a newcomer logs in against the emulator (which stores its URL for the
// profile), stops it, and logs in with a real key. The failure to reach the stored URL says where it
// is stored and how to drop it; a URL given in the environment is not called stored. From the
// built binary.
import { describe, expect, it } from 'vitest';
import { isolatedEnv, runBin, startBinEmulator } from '../helpers/bin.js';

describe('logging in after the emulator', () => {
  it('names the config file that holds the emulator’s URL, and `anchor config unset api-url`', async () => {
    const env = isolatedEnv({ ANCHOR_RETRY_BASE_MS: '1' });
    const emulator = await startBinEmulator();
    const first = await runBin(['auth', 'login', '--with-key'], {
      env: { ...env, ANCHOR_API_URL: emulator.url },
      input: 'emulator-key-1',
    });
    expect(first.code, first.stderr).toBe(0);
    expect(await emulator.stop()).toBe(0);

    const real = await runBin(['auth', 'login', '--with-key', '--json'], { env, input: 'sk-real-key-5678' });
    expect(real.code).not.toBe(0);
    const { error } = JSON.parse(real.stderr) as { error: { code: string; message: string; hint: string } };
    expect(error.message).toContain(`connection refused by ${new URL(emulator.url).host}`);
    expect(error.hint).toContain(`The API URL ${emulator.url} is stored in ${env.XDG_CONFIG_HOME}/anchor/config.json`);
    expect(error.hint).toContain('`anchor config unset api-url`');
    expect(real.stderr).not.toContain('sk-real-key-5678');

    // The same URL from ANCHOR_API_URL is the user's own setting, not a stored one.
    const fromEnv = await runBin(['webhooks', 'list', '--json'], { env: { ...env, ANCHOR_API_URL: emulator.url } });
    expect(fromEnv.code).not.toBe(0);
    expect(fromEnv.stderr).not.toContain('is stored in');

    // And the fix works: the profile is back on Anchor's URL.
    expect((await runBin(['config', 'unset', 'api-url'], { env })).code).toBe(0);
    const status = await runBin(['auth', 'status', '--json'], { env });
    expect(JSON.parse(status.stdout)).toMatchObject({ api_url_source: 'default' });
  });
});
