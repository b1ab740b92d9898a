// A scripted HTTP server on loopback: it answers each expected request in order with the given
// reply, and any request nobody expected fails the test (recorded, answered 599).
import http from 'node:http';
import { closeServer, listenOn } from '../../src/lib/serve.js';

export interface Reply {
  status?: number;
  body?: unknown;
  /** Raw text instead of JSON. */
  raw?: string;
  headers?: Record<string, string>;
  /** Destroy the socket before answering (a reset after the request was sent). */
  reset?: boolean;
  /** Answer after this many ms. */
  delayMs?: number;
  /** Declare a longer body than sent, then close: a truncated body. */
  truncate?: boolean;
}

export interface Expectation {
  method: string;
  path: string;
  reply: Reply;
}

export interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ScriptServer {
  url: string;
  seen: Seen[];
  unexpected: Seen[];
  expect: (method: string, path: string, reply: Reply) => void;
  pending: () => Expectation[];
  close: () => Promise<void>;
}

export async function startScriptServer(): Promise<ScriptServer> {
  const queue: Expectation[] = [];
  const seen: Seen[] = [];
  const unexpected: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      const next = queue[0];
      if (!next || next.method !== s.method || next.path !== s.path) {
        unexpected.push(s);
        res.writeHead(599).end();
        return;
      }
      queue.shift();
      const { reply } = next;
      const answer = () => {
        if (reply.reset) {
          req.socket.destroy();
          return;
        }
        const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
        if (reply.truncate) {
          res.writeHead(reply.status ?? 200, {
            'Content-Type': 'application/json',
            'Content-Length': String(text.length + 100),
            ...reply.headers,
          });
          res.write(text);
          setTimeout(() => req.socket.destroy(), 20);
          return;
        }
        res.writeHead(reply.status ?? 200, {
          'Content-Type': reply.raw ? 'text/html' : 'application/json',
          ...reply.headers,
        });
        res.end(text);
      };
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  });
  const { origin } = await listenOn(server, 0, '127.0.0.1');
  return {
    url: origin,
    seen,
    unexpected,
    expect: (method, path, reply) => queue.push({ method, path, reply }),
    pending: () => [...queue],
    close: () => closeServer(server),
  };
}

export const sampleWebhook = {
  id: 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y',
  project_id: '5d2c31f6-ab7e-481a-b6fd-8b4a96a4e197',
  url: 'https://your-app.example.com/anchor/webhooks',
  description: 'Production task notifications',
  subscribed_events: ['task.completed'],
  enabled: true,
  created_at: '2023-11-07T05:31:56Z',
  updated_at: '2023-11-07T05:31:56Z',
};
