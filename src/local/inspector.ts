// The inspector: a web page over the delivery record, served on 127.0.0.1 only. Every request
// must carry the random token of the URL printed at start, and a Host that is this server's own
// loopback address (so a DNS-rebinding page cannot reach it); anything else gets 403.
import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { recordReplay, replayRequest } from './replay.js';
import { closeServer, listenOn } from '../lib/serve.js';
import { deliver } from './deliver.js';
import { findRecord, readRecords, recordStamp, type RecordedRequest } from './record.js';
import { inspectorPage } from './inspector-page.js';

export interface InspectorOptions {
  port: number;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** The secret the replay button re-signs with; undefined: only "as received" works. */
  secret?: () => string | undefined;
  /** Where replays go instead of each record's forward URL. */
  to?: URL;
  /** How a record is listed and shown (the same as `received --json`). */
  listed: (r: RecordedRequest) => unknown;
  shown: (r: RecordedRequest) => unknown;
  /** Removes every registered secret from what the page is sent (an app may echo one in its answer). */
  redact: (text: string) => string;
}

export interface RunningInspector {
  url: string;
  port: number;
  /** Tells the open pages about a new or changed record (listen --inspect calls it). */
  notify: (r: RecordedRequest) => void;
  close: () => Promise<void>;
}

export async function startInspector(o: InspectorOptions): Promise<RunningInspector> {
  const token = randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const clients = new Set<http.ServerResponse>();
  let port = 0;

  const tokenOk = (given: string | null) => {
    if (!given) return false;
    const b = Buffer.from(given);
    return b.length === tokenBytes.length && timingSafeEqual(b, tokenBytes);
  };
  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    // Every JSON answer (records, replay results, errors) passes the redactor: the page is output too.
    const text = typeof body === 'string' ? body : o.redact(JSON.stringify(body));
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    res.end(text);
  };

  const replay = async (r: RecordedRequest, mode: string) => {
    if (mode !== 'resigned' && mode !== 'as-received')
      throw new Error(`unknown replay mode "${mode}": give mode=resigned or mode=as-received`);
    // Whatever the page sends: a stranger's body is never signed with the user's secret from here.
    if (mode === 'resigned' && r.verdict === 'refused')
      throw new Error(
        `${r.id} was refused by listen, so the inspector replays it only as received (mode=as-received): re-signing would put your signature on a stranger's body. If you know where it came from: anchor webhooks replay ${r.id} --resign-refused`,
      );
    const url = o.to ?? (r.forward ? new URL(r.forward.url) : undefined);
    if (!url) throw new Error(`${r.id} was not forwarded anywhere; start the inspector with --to <url>`);
    let req;
    if (mode === 'as-received') req = replayRequest(r, { asReceived: true });
    else {
      const secret = o.secret?.();
      if (!secret) throw new Error('no secret to re-sign with: start it with --secret-file or ANCHOR_WEBHOOK_SECRET');
      req = replayRequest(r, { asReceived: false, secret, nowSeconds: Math.floor(o.now().getTime() / 1000) });
    }
    const { headers, body } = req;
    // Recorded like the CLI's replays (src/local/replay.ts), linked to the original.
    const x = { env: o.env, redact: o.redact, now: o.now };
    const a = await deliver(url, headers, body, o.env).catch((e: unknown) => {
      recordReplay(x, r, req, url, { error: (e as Error).message });
      throw e;
    });
    const replayRecordId = recordReplay(x, r, req, url, a);
    return {
      record_id: r.id,
      replay_record_id: replayRecordId,
      url: url.toString(),
      resigned: mode !== 'as-received',
      status: a.status,
      latency_ms: a.latencyMs,
      response_body: a.body,
    };
  };

  const server = http.createServer((req, res) => {
    const fail = (e: unknown) => {
      if (!res.headersSent) send(res, 500, { error: (e as Error)?.message ?? String(e) });
      else res.destroy();
    };
    try {
      // DNS rebinding: only our own loopback address and port, as typed in the URL we printed.
      if (req.headers.host !== `127.0.0.1:${port}`) return send(res, 403, 'forbidden: wrong Host');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (!tokenOk(url.searchParams.get('token'))) return send(res, 403, 'forbidden: the token is missing or wrong');
      const nowMs = o.now().getTime();
      if (req.method === 'GET' && url.pathname === '/') {
        const nonce = randomBytes(16).toString('base64');
        return send(res, 200, inspectorPage(nonce), {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
          'X-Frame-Options': 'DENY',
        });
      }
      if (req.method === 'GET' && url.pathname === '/api/records')
        return send(res, 200, readRecords(o.env, { nowMs, limit: 200 }).map(o.listed));
      const one = url.pathname.match(/^\/api\/records\/([A-Za-z0-9_]+)$/);
      if (req.method === 'GET' && one) {
        const r = findRecord(o.env, one[1]!, { nowMs });
        return r ? send(res, 200, o.shown(r)) : send(res, 404, { error: `no recorded request ${one[1]}` });
      }
      const rp = url.pathname.match(/^\/api\/replay\/([A-Za-z0-9_]+)$/);
      if (req.method === 'POST' && rp) {
        req.resume();
        const r = findRecord(o.env, rp[1]!, { nowMs });
        if (!r) return send(res, 404, { error: `no recorded request ${rp[1]}` });
        replay(r, url.searchParams.get('mode') ?? 'resigned').then(
          (result) => send(res, 200, result),
          (e: unknown) => send(res, 400, { error: (e as Error).message }),
        );
        return;
      }
      if (req.method === 'GET' && url.pathname === '/api/events') {
        res.writeHead(200, {
          'Content-Type': 'text/event-stream',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        clients.add(res);
        res.on('close', () => clients.delete(res));
        return;
      }
      send(res, 404, { error: 'not found' });
    } catch (e) {
      fail(e);
    }
  });

  const notify = (r: RecordedRequest) => {
    const data = `event: record\ndata: ${o.redact(JSON.stringify(o.listed(r)))}\n\n`;
    for (const c of clients) c.write(data);
  };

  // Standalone (`anchor webhooks inspect`): another process writes the record, so it is watched.
  // The segments' sizes say whether anything changed; only then is it read again.
  let lastSeen = '';
  let known = new Set(readRecords(o.env, { nowMs: o.now().getTime(), limit: 200 }).map((r) => `${r.id}:${r.status}`));
  const poll = setInterval(() => {
    if (clients.size === 0) return;
    // Every segment counts: two `listen` runs, or refused requests (in segments of their own), may
    // add to one that is not the newest. A record that became untrusted stops the updates, not the page.
    let now: RecordedRequest[];
    try {
      const stamp = recordStamp(o.env);
      if (stamp === lastSeen) return;
      lastSeen = stamp;
      now = readRecords(o.env, { nowMs: o.now().getTime(), limit: 200 });
    } catch {
      return;
    }
    const next = new Set<string>();
    for (const r of [...now].reverse()) {
      const key = `${r.id}:${r.status}`;
      next.add(key);
      if (!known.has(key)) notify(r);
    }
    known = next;
  }, 300);
  poll.unref();

  const bound = await listenOn(server, o.port, '127.0.0.1');
  port = bound.port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    notify,
    close: async () => {
      clearInterval(poll);
      for (const c of clients) c.end();
      await closeServer(server);
    },
  };
}
