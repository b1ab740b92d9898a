// Each tunnel program's output, read by its format's shape: the URL in the URL's place (any http(s)
// URL there, a loopback one included), the documented failures, and no URL from the rest of the
// log (docs links inside sentences). And --tunnel-host, which must never reach ssh as an option,
// and the environment a tunnel program gets (nothing of anchor's).
import { describe, expect, it } from 'vitest';
import { readCloudflaredLine } from '../../../src/local/tunnel/cloudflared.js';
import { readNgrokLine } from '../../../src/local/tunnel/ngrok.js';
import { parseTunnelHost, readSshLine, sshProgram } from '../../../src/local/tunnel/ssh.js';
import { commandProgram, readCommandLine } from '../../../src/local/tunnel/command.js';
import { tunnelEnv } from '../../../src/local/tunnel/process.js';

const T = '2024-05-19T20:42:42Z';

describe('cloudflared', () => {
  it('takes the URL in the banner box, and nothing else of its log', () => {
    expect(
      readCloudflaredLine(
        `${T} INF |  https://seasonal-deck-organisms-sf.trycloudflare.com                                     |`,
      ),
    ).toEqual({
      url: 'https://seasonal-deck-organisms-sf.trycloudflare.com',
    });
    expect(readCloudflaredLine(`${T} INF |  http://127.0.0.1:4321   |`)).toEqual({ url: 'http://127.0.0.1:4321' });
    for (const line of [
      `${T} INF Thank you for trying Cloudflare Tunnel. ... by following: https://developers.cloudflare.com/cloudflare-one/connections/connect-apps`,
      `${T} INF +--------------------------------------------------------------------------------------------+`,
      `${T} INF |  Your quick Tunnel has been created! Visit it at (it may take some time to be reachable):  |`,
      `${T} INF Requesting new quick Tunnel on trycloudflare.com...`,
    ])
      expect(readCloudflaredLine(line), line).toBeUndefined();
  });

  it('reads the rate limit (429, error 1015) as a failure with its fix', () => {
    const seen = readCloudflaredLine(
      `${T} ERR Error unmarshaling QuickTunnel response: error code: 1015 error="invalid character 'e' looking for beginning of value" status_code="429 Too Many Requests"`,
    );
    expect(seen).toMatchObject({
      failure: expect.stringMatching(/429, error 1015/),
      fix: expect.stringMatching(/Wait/),
    });
  });
});

describe('ngrok', () => {
  it('takes the url of the "started tunnel" line, and no other line', () => {
    const started = JSON.stringify({
      lvl: 'info',
      msg: 'started tunnel',
      obj: 'tunnels',
      addr: 'http://localhost:4242',
      url: 'https://ab12.ngrok-free.app',
    });
    expect(readNgrokLine(started)).toEqual({ url: 'https://ab12.ngrok-free.app' });
    expect(
      readNgrokLine(JSON.stringify({ lvl: 'info', msg: 'starting web service', addr: '127.0.0.1:4040' })),
    ).toBeUndefined();
    expect(readNgrokLine('{not json')).toBeUndefined();
    expect(readNgrokLine(JSON.stringify({ msg: 'started tunnel', url: 'ftp://x' }))).toBeUndefined();
  });

  it('reads ERR_NGROK_108 and ERR_NGROK_4018 wherever they are, each with its fix', () => {
    expect(
      readNgrokLine(JSON.stringify({ lvl: 'eror', err: 'authentication failed: ...\r\n\r\nERR_NGROK_108\r\n' })),
    ).toMatchObject({
      fix: expect.stringMatching(/Stop the other ngrok agent/),
    });
    expect(readNgrokLine('ERROR:  ERR_NGROK_4018')).toMatchObject({
      fix: expect.stringMatching(/ngrok config add-authtoken/),
    });
  });
});

describe('ssh', () => {
  it("takes localhost.run's and pinggy's URL lines, not the URLs in their sentences", () => {
    expect(readSshLine('3f2a9c.lhr.life tunneled with tls termination, https://3f2a9c.lhr.life')).toEqual({
      url: 'https://3f2a9c.lhr.life',
    });
    expect(readSshLine('https://rnxyz-1-2-3-4.a.free.pinggy.link')).toEqual({
      url: 'https://rnxyz-1-2-3-4.a.free.pinggy.link',
    });
    // pinggy's http:// twin comes first: the https:// line after it is the one.
    expect(readSshLine('http://rnxyz-1-2-3-4.a.free.pinggy.link')).toBeUndefined();
    expect(readSshLine('To set up and manage custom domains go to https://admin.localhost.run/')).toBeUndefined();
  });

  it('refuses a --tunnel-host that ssh could read as an option, and takes user@host[:port]', () => {
    expect(parseTunnelHost('nokey@localhost.run')).toEqual({ destination: 'nokey@localhost.run' });
    expect(parseTunnelHost('a.pinggy.io:443')).toEqual({ destination: 'a.pinggy.io', port: 443 });
    for (const bad of ['-oProxyCommand=sh', 'x@-oProxyCommand=sh', 'user@host:0', 'user@host:70000', 'a b@host', ''])
      expect(() => parseTunnelHost(bad), bad).toThrow(/invalid --tunnel-host/);
  });

  it('runs ssh with -R to the port, the documented options, and -p for the port', () => {
    const p = sshProgram(4242, { destination: 'u@h', port: 2222 }, '/state/tunnel-known-hosts');
    expect(p.file).toBe('ssh');
    expect(p.args).toEqual(
      expect.arrayContaining([
        '-T',
        '-n',
        'BatchMode=yes',
        'StrictHostKeyChecking=accept-new',
        'ExitOnForwardFailure=yes',
      ]),
    );
    expect(p.args.slice(-5)).toEqual(['-p', '2222', '-R', '80:127.0.0.1:4242', 'u@h']);
  });
});

describe('--tunnel-cmd', () => {
  it('runs the command with sh -c, {port} filled in, and takes the first http(s) URL it prints', () => {
    expect(commandProgram(5150, 'my-tunnel --port {port}').args).toEqual(['-c', 'my-tunnel --port 5150']);
    expect(readCommandLine('Forwarding https://x.example.dev -> localhost:5150.')).toEqual({
      url: 'https://x.example.dev',
    });
    expect(readCommandLine('connecting...')).toBeUndefined();
  });
});

describe('the environment of a tunnel program', () => {
  it("holds nothing of anchor's: no key, no secret, no settings", () => {
    expect(
      tunnelEnv({
        PATH: '/bin',
        HOME: '/h',
        ANCHOR_API_KEY: 'k',
        ANCHORBROWSER_API_KEY: 'k2',
        ANCHOR_WEBHOOK_SECRET: 's',
        anchor_x: 'y',
      }),
    ).toEqual({
      PATH: '/bin',
      HOME: '/h',
    });
  });
});
