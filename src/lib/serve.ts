// Starting and stopping a local HTTP server, shared by the emulator and `listen`.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { CliError } from '../errors.js';

/** A failure to bind host:port as the user can act on it (a port in use, an address not of this machine). */
export function bindError(e: unknown, host: string, port: number): CliError | undefined {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new CliError(`port ${port} on ${host} is already in use`, {
      hint: 'Pick another with --port, or --port 0 for a free one.',
    });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new CliError(`cannot listen on ${host}: it is not an address of this machine`, {
      hint: 'Use --host 127.0.0.1 (or 0.0.0.0 for every interface).',
    });
  }
  if (code === 'EACCES' || code === 'EPERM')
    return new CliError(`not allowed to listen on port ${port} of ${host} (${code})`, {
      hint: 'Ports below 1024 need privileges: pick one above, or --port 0.',
    });
  return undefined;
}

/** Listens on host:port (0 takes a free port); resolves with the port and the base URL. */
export async function listenOn(
  server: http.Server,
  port: number,
  host: string,
): Promise<{ port: number; origin: string }> {
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

/** The soft limit on open files of this process (Linux), or undefined where it cannot be read. */
export function openFileLimit(): number | undefined {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const m = limits.match(/^Max open files\s+(\d+|unlimited)/m);
    return m && m[1] !== 'unlimited' ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How many connections a server of ours keeps open: half the open-file limit (the rest is for
 * forwarding, files and Node itself), between 16 and 4096. Past it, accept() would fail with
 * EMFILE and real deliveries would be refused at the door.
 */
export function connectionCap(limit = openFileLimit()): number {
  return Math.max(16, Math.min(4096, Math.floor((limit ?? 1024) / 2)));
}
