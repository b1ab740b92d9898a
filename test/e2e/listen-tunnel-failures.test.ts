// How `listen --tunnel` fails, from the built binary with the stand-ins on PATH: each documented
// failure of the tunnel programs (cloudflared's 429 / error 1015, ngrok's ERR_NGROK_108 and
// ERR_NGROK_4018), a tunnel that points at another server, a missing program, a command that never
// prints a URL, is exit 1 with the JSON code "tunnel", one sentence with the fix, and NO webhook
// in the emulator. While listening: a tunnel that breaks and mends is said once each way, and a
// tunnel program that exits ends listen with exit 1, its webhook deleted.
import http from 'node:http';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_BINARY_RUNTIME, runBin } from '../helpers/bin.js';
import { startBinListen, waitFor } from '../helpers/listener.js';
import { closeServer, listenOn } from '../../src/lib/serve.js';
import { running, temporaryId, tunnelPid, webhooksIn, withTunnelEmulator } from '../helpers/tunnel-journey.js';

const KEY = 'tunnel-failures-key';

let env: Record<string, string>;
withTunnelEmulator(KEY, (made) => (env = made.env));

interface JsonError {
  code: string;
  message: string;
  hint?: string;
}

/** Runs listen with `args` (and --json), expecting it to fail; returns the error it printed. */
async function failing(args: string[], extraEnv: Record<string, string> = {}): Promise<JsonError> {
  const r = await runBin(['webhooks', 'listen', '--port', '0', '--allow-local-targets', '--json', ...args], {
    env: { ...env, ...extraEnv },
  });
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  const { error } = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: JsonError };
  // Whatever went wrong, nothing was registered.
  expect(await webhooksIn(env)).toEqual([]);
  return error;
}

describe('listen --tunnel: refused before any webhook is created', () => {
  it('cloudflared rate-limited (429, error 1015): one sentence with the fix', async () => {
    const error = await failing(['--tunnel', 'cloudflared'], { FAKE_TUNNEL_MODE: '429' });
    expect(error.code).toBe('tunnel');
    expect(error.message).toMatch(/^cloudflared: Cloudflare refused a quick tunnel: .*\(429, error 1015\)$/);
    expect(error.hint).toMatch(/Wait a few minutes/);
  });

  it.each([
    ['108', /simultaneous sessions \(ERR_NGROK_108\)/, /Stop the other ngrok agent/],
    ['4018', /authtoken, and has none \(ERR_NGROK_4018\)/, /ngrok config add-authtoken/],
  ])('ngrok ERR_NGROK_%s: one sentence with the fix', async (mode, message, hint) => {
    const error = await failing(['--tunnel', 'ngrok'], { FAKE_TUNNEL_MODE: mode });
    expect(error.code).toBe('tunnel');
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(hint);
  });

  it('a tunnel that points at another server (which answers 200 to anything) is refused', async () => {
    let hits = 0;
    const other = http.createServer((req, res) => {
      hits++;
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const { port } = await listenOn(other, 0, '127.0.0.1');
    try {
      const error = await failing(['--tunnel', 'cloudflared'], { FAKE_TUNNEL_TARGET_PORT: String(port) });
      expect(error.code).toBe('tunnel');
      expect(error.message).toMatch(
        /does not reach this listener: the public URL answered, but not from this listener/,
      );
      expect(error.hint).toMatch(/points at this listener/);
      expect(hits).toBeGreaterThan(0);
    } finally {
      await closeServer(other);
    }
  });

  it.each([
    ['cloudflared', /brew install cloudflared/],
    ['ngrok', /ngrok\.com\/download.*ngrok config add-authtoken/],
    ['ssh', /OpenSSH client/],
  ])('a missing %s names how to install it', async (provider, hint) => {
    // A PATH with none of them (the binary is run by node's absolute path).
    const error = await failing(['--tunnel', provider], { PATH: mkdtempSync(join(tmpdir(), 'anchor-no-tunnels-')) });
    expect(error.code).toBe('tunnel');
    expect(error.message).toBe(`${provider} is not installed (not found on PATH)`);
    expect(error.hint).toMatch(hint);
    // The ways that need no install of a tunnel program of theirs.
    if (provider !== 'ssh')
      expect(error.hint).toContain(
        'Or use `--tunnel ssh`, which needs only an ssh client, or `--register <public-url>` with any tunnel you run yourself.',
      );
  });

  it('ssh that ends before a URL: with --json, its last lines are in the hint (nothing is "above")', async () => {
    // A stand-in ssh that fails as a real one does when the host is unreachable.
    const bin = mkdtempSync(join(tmpdir(), 'anchor-failing-ssh-'));
    writeFileSync(
      join(bin, 'ssh'),
      "#!/bin/sh\nprintf 'ssh: connect to host localhost.run port 22: Network is unreachable \\033[31m\\n' >&2\nexit 255\n",
      { mode: 0o755 },
    );
    const error = await failing(['--tunnel', 'ssh'], { PATH: bin });
    expect(error.code).toBe('tunnel');
    expect(error.message).toBe(
      'ssh to nokey@localhost.run ended before it gave a public URL (it exited with code 255)',
    );
    expect(error.hint).toContain(
      'Its last lines:\n  ssh: connect to host localhost.run port 22: Network is unreachable \\x1b[31m',
    );
    expect(error.hint).toContain('Those lines say why it ended');
    expect(error.hint).not.toContain('above');
  });

  it('a tunnel command that ends silently says so, and how to see why', async () => {
    const error = await failing(['--tunnel-cmd', 'exit 3']);
    expect(error.message).toBe('the --tunnel-cmd command ended before it gave a public URL (it exited with code 3)');
    expect(error.hint).toBe(
      'It printed nothing before it ended: run the command by hand to see why, then run this again.',
    );
  });

  it('a command that prints no URL is given up after the deadline, with its last lines', async () => {
    const error = await failing(['--tunnel-cmd', 'echo "starting \\033[31mred"; exec sleep 30'], {
      ANCHOR_TUNNEL_URL_DEADLINE_MS: '700',
    });
    expect(error.code).toBe('tunnel');
    expect(error.message).toBe('the --tunnel-cmd command printed no public URL within 700ms');
    // Its output, control characters escaped.
    expect(error.hint).toContain('starting \\x1b[31mred');
  });

  it('a URL that nothing answers names the cause (connection refused, a blocked port), not a TypeError', async () => {
    const error = await failing(['--tunnel-cmd', 'echo https://127.0.0.1:1/; exec sleep 100']);
    expect(error.code).toBe('tunnel');
    // Node's fetch refuses the ports of the Fetch standard's list; Bun's (the single executable)
    // connects, and is refused.
    if (TEST_BINARY_RUNTIME === 'bun') {
      expect(error.message).toBe(
        'the --tunnel-cmd command: https://127.0.0.1:1 does not reach this listener: nothing accepts connections at 127.0.0.1:1 (connection refused)',
      );
      expect(error.hint).toMatch(/^The URL is not the tunnel's public one/);
    } else {
      expect(error.message).toBe(
        'the --tunnel-cmd command: https://127.0.0.1:1 does not reach this listener: port 1 is one that fetch refuses to connect to (a blocked port)',
      );
      expect(error.hint).toMatch(/^Have the tunnel serve on another port/);
    }
    expect(JSON.stringify(error)).not.toContain('TypeError');
  });

  it('a --tunnel typo is exit 2 with a did-you-mean, as an --events typo is', async () => {
    const r = await runBin(['webhooks', 'listen', '--tunnel', 'cloudfared', '--json'], { env });
    expect(r.code, r.stderr).toBe(2);
    const { error } = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: JsonError };
    expect(error).toEqual({
      code: 'usage',
      message: 'invalid --tunnel "cloudfared": must be one of cloudflared, ngrok, ssh. Did you mean "cloudflared"?',
      hint: "For any other tunnel, --tunnel-cmd '<command>' runs your own.",
    });
    expect(await webhooksIn(env)).toEqual([]);
  });

  it('an http:// or local public URL without --allow-local-targets is refused, as for --register', async () => {
    const r = await runBin(['webhooks', 'listen', '--port', '0', '--tunnel', 'ngrok', '--json'], { env });
    expect(r.code, r.stderr).toBe(1);
    const { error } = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { error: JsonError };
    expect(error.code).toBe('tunnel');
    expect(error.message).toMatch(/^ngrok gave http:\/\/127\.0\.0\.1:\d+, which Anchor cannot deliver to/);
    expect(error.hint).toMatch(/--allow-local-targets/);
    expect(await webhooksIn(env)).toEqual([]);
  });
});

describe('listen --tunnel while listening', () => {
  it('says once when the tunnel breaks, however many re-checks find it broken, and once when it is back', async () => {
    const brokenLog = join(mkdtempSync(join(tmpdir(), 'anchor-tunnel-broken-')), 'requests');
    const l = await startBinListen(['--tunnel', 'ngrok', '--allow-local-targets'], {
      ...env,
      ANCHOR_TUNNEL_RECHECK_MS: '100',
      FAKE_TUNNEL_BROKEN_LOG: brokenLog,
    });
    try {
      const pid = tunnelPid(l)!;
      process.kill(pid, 'SIGUSR1');
      // Several re-checks meet the broken tunnel (each is a request the stand-in answers 502).
      await waitFor('five re-checks of the broken tunnel', () =>
        existsSync(brokenLog) && readFileSync(brokenLog, 'utf8').split('\n').length > 5 ? true : undefined,
      );
      process.kill(pid, 'SIGUSR1');
      await waitFor('the recovery said', () => (/reaches this listener again/.test(l.stderr()) ? true : undefined));
      expect(l.stderr().match(/no longer reaches this listener/g), l.stderr()).toEqual([
        'no longer reaches this listener',
      ]);
      expect(l.stderr()).toContain('no longer reaches this listener: the tunnel answered 502');
      expect(l.stderr().match(/reaches this listener again/g)).toHaveLength(1);
      expect(await l.stop(), l.stderr()).toBe(0);
      expect(running(pid)).toBe(false);
    } finally {
      l.kill();
    }
  });

  it('a tunnel program that exits ends listen with exit 1, code "tunnel", its webhook deleted', async () => {
    const l = await startBinListen(['--tunnel', 'cloudflared', '--allow-local-targets', '--json'], env);
    try {
      const id = temporaryId(l)!;
      expect((await webhooksIn(env)).map((w) => w.id)).toEqual([id]);
      process.kill(tunnelPid(l)!, 'SIGKILL');
      expect(await l.exited, l.stderr()).toBe(1);
      const { error } = JSON.parse(l.stderr().trim().split('\n').at(-1)!) as { error: JsonError };
      expect(error.code).toBe('tunnel');
      expect(error.message).toBe('cloudflared was ended by SIGKILL while listening; the temporary webhook was deleted');
      expect(await webhooksIn(env)).toEqual([]);
    } finally {
      l.kill();
    }
  });
});
