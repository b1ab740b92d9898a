// listen's tunnel flags, in-process: what they cannot be combined with, and what they need, each
// refused with exit 2 and a message naming the flags, before anything is started.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../helpers/io.js';

const listen = (...args: string[]) =>
  runCli(['webhooks', 'listen', '--port', '0', ...args], { env: { ANCHOR_API_KEY: 'k' } });

describe('listen --tunnel flags', () => {
  it.each([
    [
      ['--tunnel', 'ngrok', '--register', 'https://x.example.com/'],
      /--tunnel registers the public URL of the tunnel it starts; it cannot be combined with --register/,
    ],
    [['--tunnel', 'ngrok', '--tunnel-cmd', 'x'], /--tunnel-cmd cannot be combined with --tunnel/],
    [['--tunnel-cmd', 'x', '--secret-file', './s'], /uses the secret of the webhook it creates/],
    [['--tunnel-host', 'u@h'], /--tunnel-host goes with --tunnel/],
    [['--tunnel', 'cloudflared', '--tunnel-host', 'u@h'], /--tunnel-host goes with --tunnel ssh/],
    [['--tunnel', 'ssh', '--tunnel-host', '-oProxyCommand=sh'], /invalid --tunnel-host/],
    [['--tunnel', 'frp'], /must be one of cloudflared, ngrok, ssh/],
    [['--tunnel-cmd', ''], /give the command that starts your tunnel/],
    [['--allow-local-targets'], /--allow-local-targets goes with --register, --tunnel or --tunnel-cmd/],
    [['--tunnel', 'ngrok', '--print-secret'], /--print-secret manages the forwarding secret/],
  ])('%j is refused with exit 2', async (args, message) => {
    const r = await listen(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/Ready:|Tunnel:/);
  });
});
