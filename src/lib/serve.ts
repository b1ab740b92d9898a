// Starting and stopping a local HTTP server, shared by the emulator and `listen`.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on host:port (0 takes a free port); resolves with the port and the base URL. */
export async function listenOn(server: http.Server, port: number, host: string): Promise<{ port: number; origin: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return { port: actual, origin: `http://${host.includes(':') ? `[${host}]` : host}:${actual}` };
}

/** Closes the server and every connection it holds, keep-alive ones included. */
export function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
