// What a stranger's sockets may hold of a receiver: a cap on open connections, and a deadline for
// the first byte, which Node's own header timeout does not cover.
import type http from 'node:http';
import type { Socket } from 'node:net';

interface ConnectionState {
  /** Requests in progress on it. */
  busy: number;
  /** Requests it has completed. */
  served: number;
}

/**
 * Keeps at most `cap` connections open: past it, the oldest connection with no request in
 * progress is closed — first one that never sent a whole request (idle or slow sockets), then an
 * idle keep-alive one — so a flood of idle sockets cannot lock real deliveries out.
 */
export function capConnections(server: http.Server, cap: number): void {
  const open = new Map<Socket, ConnectionState>();
  server.on('connection', (socket: Socket) => {
    open.set(socket, { busy: 0, served: 0 });
    socket.once('close', () => open.delete(socket));
    if (open.size <= cap) return;
    let victim: Socket | undefined;
    for (const pass of ['never served', 'idle'] as const) {
      for (const [s, state] of open) {
        if (s === socket || state.busy > 0 || (pass === 'never served' && state.served > 0)) continue;
        victim = s;
        break;
      }
      if (victim) break;
    }
    (victim ?? socket).destroy();
    open.delete(victim ?? socket);
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const state = open.get(req.socket);
    if (!state) return;
    state.busy++;
    res.once('close', () => {
      state.busy--;
      state.served++;
    });
  });
}

/**
 * Closes a connection that has sent nothing `ms` after it opened. Node's `headersTimeout` starts
 * with the first byte, so a socket that never sends one would otherwise stay open for good; once
 * a byte has come, Node's timeout takes over. `bytesRead` is read when the timer fires, so no
 * listener is added to the data path.
 */
export function closeSilentConnections(server: http.Server, ms: number): void {
  server.on('connection', (socket: Socket) => {
    const deadline = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, ms);
    deadline.unref();
    socket.once('close', () => clearTimeout(deadline));
  });
}
