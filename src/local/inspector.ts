// The inspector: a web page over the delivery record, served on 127.0.0.1 only. Every request
// must carry the page's token (kept in the state folder, so an open tab survives a restart) and a
// Host that is this server's own loopback address (so a DNS-rebinding page cannot reach it);
// anything else gets 403.
import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { closeServer, listenOn } from '../lib/serve.js';
import { findRecord, readRecords, recordStamp, type RecordedRequest } from './record.js';
import { resolutionsOfListed, tookIt } from './record-resolved.js';
import { inspectorPage } from './inspector-page.js';
import { inspectorToken } from './inspector-token.js';
import { NO_SECRET_REASON, readEditedBody, replayFromPage, replayMode, ReplayRefused } from './inspector-replay.js';

export interface InspectorOptions {
  port: number;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** The secret the replay button re-signs with; undefined: only "as received" works. */
  secret?: () => string | undefined;
  /**
   * Where replays go instead of each record's forward URL: one URL, or by record (listen's routes
   * by type; undefined for a record: its forward URL).
   */
  to?: URL | ((r: RecordedRequest) => URL | undefined);
  /** How a record is listed and shown (the same as `received --json`). */
  listed: (r: RecordedRequest) => unknown;
  shown: (r: RecordedRequest) => unknown;
  /** Removes every registered secret from what the page is sent (an app may echo one in its answer). */
  redact: (text: string) => string;
  /** A new token instead of the kept one (open tabs get 403 and need the new URL). */
  resetToken?: boolean;
}

export interface RunningInspector {
  url: string;
  port: number;
  /** Tells the open pages about a new or changed record (listen --inspect calls it). */
  notify: (r: RecordedRequest) => void;
  close: () => Promise<void>;
}

/** The records listed, and what a text search looks through (ids and type are searched on the page). */
const LISTED = 200;
const MAX_QUERY = 200;
/** How soon a tab whose stream dropped (a restart) tries again, in ms. */
const RETRY_MS = 500;

export async function startInspector(o: InspectorOptions): Promise<RunningInspector> {
  const token = inspectorToken(o.env, o.resetToken);
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
  const records = (withBodies = false) =>
    readRecords(o.env, { nowMs: o.now().getTime(), limit: LISTED, ...(withBodies ? { withBodies } : {}) });

  /**
   * Listed as `received --json` lists them: a failure a later delivery of its event got through
   * carries `resolved_by`, computed over the whole record as `received` does.
   */
  const listedWithResolution = (rs: readonly RecordedRequest[]) => {
    const resolved = resolutionsOfListed(rs, () => readRecords(o.env, { nowMs: o.now().getTime() }));
    return rs.map((r) => {
      const by = resolved.get(r.id);
      return by ? { ...(o.listed(r) as object), resolved_by: by.id } : o.listed(r);
    });
  };

  /** The ids of the listed records whose body holds `q` (case-insensitive): the page has no bodies. */
  const bodySearch = (q: string) => {
    const needle = q.toLowerCase();
    return records(true)
      .filter((r) => Buffer.from(r.body_b64, 'base64').toString('utf8').toLowerCase().includes(needle))
      .map((r) => r.id);
  };

  const replay = async (req: http.IncomingMessage, res: http.ServerResponse, id: string, modeParam: string) => {
    try {
      const mode = replayMode(modeParam);
      const edited = mode === 'edited' ? await readEditedBody(req) : (req.resume(), undefined);
      const r = findRecord(o.env, id, { nowMs: o.now().getTime() });
      if (!r) return send(res, 404, { error: `no recorded request ${id}` });
      const result = await replayFromPage(r, mode, edited, {
        env: o.env,
        redact: o.redact,
        now: o.now,
        nowSeconds: Math.floor(o.now().getTime() / 1000),
        secret: o.secret?.(),
        to: typeof o.to === 'function' ? o.to(r) : o.to,
      });
      send(res, 200, result);
    } catch (e) {
      if (!res.headersSent) send(res, e instanceof ReplayRefused ? e.status : 400, { error: (e as Error).message });
    }
  };

  const server = http.createServer((req, res) => {
    try {
      // DNS rebinding: only our own loopback address and port, as typed in the URL we printed.
      if (req.headers.host !== `127.0.0.1:${port}`) return send(res, 403, 'forbidden: wrong Host');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (!tokenOk(url.searchParams.get('token'))) return send(res, 403, 'forbidden: the token is missing or wrong');
      if (req.method === 'GET' && url.pathname === '/') {
        const nonce = randomBytes(16).toString('base64');
        return send(res, 200, inspectorPage(nonce), {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
          'X-Frame-Options': 'DENY',
        });
      }
      if (req.method === 'GET' && url.pathname === '/api/records')
        return send(res, 200, listedWithResolution(records()));
      if (req.method === 'GET' && url.pathname === '/api/config') {
        // What the page may offer: re-signing needs a secret, said before a click rather than after.
        const canResign = Boolean(o.secret?.());
        return send(res, 200, { can_resign: canResign, ...(canResign ? {} : { resign_reason: NO_SECRET_REASON }) });
      }
      if (req.method === 'GET' && url.pathname === '/api/search') {
        const q = url.searchParams.get('q') ?? '';
        if (!q || q.length > MAX_QUERY)
          return send(res, 400, { error: `give q=<text> of 1 to ${MAX_QUERY} characters` });
        return send(res, 200, { ids: bodySearch(q) });
      }
      const one = url.pathname.match(/^\/api\/records\/([A-Za-z0-9_]+)$/);
      if (req.method === 'GET' && one) {
        const r = findRecord(o.env, one[1]!, { nowMs: o.now().getTime() });
        return r ? send(res, 200, o.shown(r)) : send(res, 404, { error: `no recorded request ${one[1]}` });
      }
      const rp = url.pathname.match(/^\/api\/replay\/([A-Za-z0-9_]+)$/);
      if (req.method === 'POST' && rp) return void replay(req, res, rp[1]!, url.searchParams.get('mode') ?? 'resigned');
      if (req.method === 'GET' && url.pathname === '/api/events') {
        res.writeHead(200, {
          'Content-Type': 'text/event-stream',
          'Cache-Control': 'no-store',
          Connection: 'keep-alive',
        });
        // `retry`: after a restart of the inspector, an open tab is back within half a second.
        res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
        clients.add(res);
        res.on('close', () => clients.delete(res));
        return;
      }
      send(res, 404, { error: 'not found' });
    } catch (e) {
      if (!res.headersSent) send(res, 500, { error: (e as Error)?.message ?? String(e) });
      else res.destroy();
    }
  });
  // An edited body is the only upload: it must arrive whole within the deadline.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  const send1 = (listed: unknown) => {
    const data = `event: record\ndata: ${o.redact(JSON.stringify(listed))}\n\n`;
    for (const c of clients) c.write(data);
  };
  const notify = (r: RecordedRequest) => {
    if (clients.size === 0) return;
    if (!tookIt(r)) return send1(o.listed(r));
    // The app took it: the earlier failures of the same event are resolved now, and the open
    // pages are told so (only then is the record read again).
    let rs: RecordedRequest[];
    try {
      rs = records();
    } catch {
      return send1(o.listed(r));
    }
    const resolvedNow = listedWithResolution(rs).filter((x) => (x as { resolved_by?: string }).resolved_by === r.id);
    send1(o.listed(r));
    for (const x of resolvedNow) send1(x);
  };

  // Standalone (`anchor webhooks inspect`): another process writes the record, so it is watched.
  // The segments' sizes say whether anything changed; only then is it read again.
  let lastSeen = '';
  let known = new Set(records().map((r) => `${r.id}:${r.status}`));
  const poll = setInterval(() => {
    if (clients.size === 0) return;
    // Every segment counts: two `listen` runs, or refused requests (in segments of their own), may
    // add to one that is not the newest. A record that became untrusted stops the updates, not the page.
    let now: RecordedRequest[];
    try {
      const stamp = recordStamp(o.env);
      if (stamp === lastSeen) return;
      lastSeen = stamp;
      now = records();
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
