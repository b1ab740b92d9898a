// A public URL that gives no answer is said by its real cause, with a fix that fits it: real
// fetches from checkTunnel to loopback servers (a closed port, a plain HTTP server asked for TLS,
// a port fetch blocks) and to a name that cannot resolve (.invalid, RFC 2606).
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTunnel } from '../../../src/local/tunnel/prove.js';
import { noAnswer } from '../../../src/local/tunnel/no-answer.js';
import { closeServer, listenOn } from '../../../src/lib/serve.js';

const probe = { token: '0'.repeat(32), count: () => 0 };
let plain: http.Server;
let plainPort: number;
let closedPort: number;
beforeAll(async () => {
  plain = http.createServer((_req, res) => res.end('plain'));
  plainPort = Number(new URL((await listenOn(plain, 0, '127.0.0.1')).origin).port);
  const gone = http.createServer();
  closedPort = Number(new URL((await listenOn(gone, 0, '127.0.0.1')).origin).port);
  await closeServer(gone);
});
afterAll(() => closeServer(plain));

describe('checkTunnel: no answer, by its cause', () => {
  it('connection refused: the URL is not the public one, not retried', async () => {
    const proof = await checkTunnel(`https://127.0.0.1:${closedPort}`, probe);
    expect(proof).toMatchObject({
      ok: false,
      why: `nothing accepts connections at 127.0.0.1:${closedPort} (connection refused)`,
      retry: false,
    });
    expect(proof.ok || proof.fix).toMatch(/not the tunnel's public one.*\| grep https/);
  });

  it('TLS to a plain HTTP server: the handshake failed, with its http:// URL', async () => {
    const proof = await checkTunnel(`https://127.0.0.1:${plainPort}`, probe);
    expect(proof).toMatchObject({ ok: false, retry: false });
    expect(proof.ok || proof.why).toMatch(
      new RegExp(`^the TLS handshake with 127\\.0\\.0\\.1:${plainPort} failed \\(ERR_SSL_\\w+\\)$`),
    );
    expect(proof.ok || proof.fix).toContain(`http://127.0.0.1:${plainPort}`);
  });

  it("a port fetch refuses (the walker's https://127.0.0.1:1/): said, not 'TypeError'", async () => {
    const proof = await checkTunnel('https://127.0.0.1:1', probe);
    expect(proof).toMatchObject({ ok: false, retry: false });
    expect(proof.ok || proof.why).toBe('port 1 is one that fetch refuses to connect to (a blocked port)');
    expect(JSON.stringify(proof)).not.toContain('TypeError');
  });

  it('a name that does not resolve: said, retried (a new name can take a minute)', async () => {
    const proof = await checkTunnel('https://no-such-tunnel.invalid', probe);
    expect(proof).toMatchObject({ ok: false, retry: true });
    expect(proof.ok || proof.why).toMatch(/^the name no-such-tunnel\.invalid does not resolve \(/);
  });
});

describe('noAnswer', () => {
  it('a deadline: no answer within the attempt limit', () => {
    const err = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(noAnswer(err, 'https://a.example', 5000)).toMatchObject({
      why: 'no answer from a.example within 5s',
      retry: true,
    });
  });

  it('an unknown cause: its code, control characters escaped', () => {
    const err = Object.assign(new TypeError('fetch failed'), { cause: { code: 'EWEIRD\u001b[31m' } });
    expect(noAnswer(err, 'https://a.example', 5000).why).toBe('no answer from a.example (EWEIRD\\x1b[31m)');
  });
});
