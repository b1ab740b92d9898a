// A reverse-tunnel service on loopback for the real OpenSSH client, in the manner of localhost.run:
// an SSH server (the ssh2 package) with a host key made at start, that lets one user in with no
// key ("none" auth), takes `-R` (tcpip-forward) by opening its own public HTTP port on loopback,
// prints the provider's banner to the session with that port's URL in the URL's place, and
// carries each connection to the public port through the client's tunnel (forwardOut).
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';

export interface SshTunnelServer {
  /** `user@127.0.0.1:<port>`, for --tunnel-host. */
  host: string;
  /** The public URLs it has handed out, one per forward, in order. */
  publicUrls: string[];
  /** Clients connected now. */
  clients: () => number;
  close: () => Promise<void>;
}

export async function startSshTunnelServer(user = 'test'): Promise<SshTunnelServer> {
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
  const publicUrls: string[] = [];
  const publicServers = new Set<net.Server>();
  const connected = new Set<ssh2.Connection>();

  const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
    connected.add(client);
    let announce: ((url: string) => void) | undefined;
    const forwarded = new Promise<string>((resolve) => (announce = resolve));
    client.on('authentication', (auth) => (auth.username === user ? auth.accept() : auth.reject()));
    client.on('error', () => {});
    client.on('close', () => connected.delete(client));
    client.on('ready', () => {
      client.on('request', (accept, reject, name, info) => {
        if (name !== 'tcpip-forward') {
          reject?.();
          return;
        }
        const pub = net.createServer((socket) => {
          socket.on('error', () => {});
          client.forwardOut(
            info.bindAddr,
            info.bindPort,
            socket.remoteAddress ?? '127.0.0.1',
            socket.remotePort ?? 0,
            (err, channel) => {
              if (err) {
                socket.destroy();
                return;
              }
              channel.on('error', () => {});
              socket.pipe(channel).pipe(socket);
            },
          );
        });
        publicServers.add(pub);
        client.on('close', () => {
          pub.close();
          publicServers.delete(pub);
        });
        pub.listen(0, '127.0.0.1', () => {
          accept?.(info.bindPort);
          const url = `http://127.0.0.1:${(pub.address() as AddressInfo).port}`;
          publicUrls.push(url);
          announce!(url);
        });
      });
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('env', (accept) => accept?.());
        session.on('shell', (acceptShell) => {
          const stream = acceptShell();
          // As localhost.run: welcome text with URLs inside sentences, then the tunnel's line.
          stream.write('Welcome to the loopback tunnel service. Docs at https://example.invalid/docs for more.\r\n');
          void forwarded.then((url) =>
            stream.write(`${new URL(url).port}.lhr.life tunneled with tls termination, ${url}\r\n`),
          );
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `${user}@127.0.0.1:${port}`,
    publicUrls,
    clients: () => connected.size,
    close: async () => {
      for (const c of connected) c.end();
      for (const p of publicServers) p.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
