// A stand-in for a public tunnel (ngrok, cloudflared) on loopback: its URL exists before the
// listener does, so a test can register it (`listen --register <tunnel>`, `create --url
// <tunnel>`) and start the listener on port 0 afterwards; then `to()` points it at the listener.
// No port is picked and released in between, so no other process can take it.
import http from 'node:http';
import { closeServer, listenOn } from '../../src/lib/serve.js';

export interface Tunnel {
  /** `http://127.0.0.1:<port>` followed by the `path` it was started with. */
  url: string;
  /** Where requests go from now on: an origin, such as a listener's URL (its path is ignored). */
  to: (target: string) => void;
  close: () => Promise<void>;
}

/** Until it is pointed somewhere a request gets 502, as from a tunnel whose local end is down. */
export async function startTunnel(path = '/'): Promise<Tunnel> {
  let target: URL | undefined;
  const server = http.createServer((req, res) => {
    if (!target) {
      req.resume();
      res.writeHead(502).end('the tunnel points nowhere yet');
      return;
    }
    const out = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  const { origin } = await listenOn(server, 0, '127.0.0.1');
  return {
    url: `${origin}${path}`,
    to: (t) => (target = new URL(t)),
    close: () => closeServer(server),
  };
}
