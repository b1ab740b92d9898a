// Reference webhook receivers, written here independently of src/: one correct, and one for each
// classic mistake. `check-receiver` and `--chaos` must grade each of them exactly right.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Mistake =
  | 'correct'
  /** Verifies JSON.stringify(JSON.parse(body)), as a JSON middleware in front of the check would. */
  | 'reserialised'
  /** Never looks at the timestamp's age. */
  | 'no_freshness'
  /** Takes only the first v1= of the header. */
  | 'single_v1'
  /** Inserts every event id, and fails (500) on one it already has. */
  | 'no_idempotency'
  /** Crashes (500) on a signature that does not match, instead of refusing it. */
  | 'crash_on_bad_signature'
  /** Refuses (409) an intervention.resolved that comes before the intervention.requested of its request_id. */
  | 'order_sensitive';

export interface ReferenceReceiver {
  url: string;
  /** The envelopes it accepted, in the order they came, with the raw bodies. */
  accepted: Array<{ envelope: Record<string, unknown>; raw: Buffer; headers: http.IncomingHttpHeaders }>;
  close: () => Promise<void>;
}

const TOLERANCE_SECONDS = 300;

const requestId = (envelope: Record<string, unknown>): unknown =>
  (envelope.data as Record<string, unknown> | undefined)?.request_id;

export async function startReferenceReceiver(mistake: Mistake, secret: string): Promise<ReferenceReceiver> {
  const seen = new Set<string>();
  const accepted: ReferenceReceiver['accepted'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, text: string) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(text);
      };
      const raw = Buffer.concat(chunks);
      const header = req.headers['anchor-signature'];
      const timestamp = req.headers['anchor-timestamp'];
      if (typeof header !== 'string' || typeof timestamp !== 'string') return answer(400, 'missing Anchor headers');
      const parts = header.split(',');
      const t = parts.find((p) => p.startsWith('t='))?.slice(2);
      let candidates = parts.filter((p) => p.startsWith('v1=')).map((p) => p.slice(3));
      if (t === undefined || t !== timestamp) return answer(400, 'timestamp mismatch');
      if (mistake !== 'no_freshness' && Math.abs(Date.now() / 1000 - Number(t)) > TOLERANCE_SECONDS)
        return answer(401, 'too old');
      let signed: Buffer = raw;
      if (mistake === 'reserialised') {
        try {
          signed = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
        } catch {
          return answer(400, 'not JSON');
        }
      }
      const expected = Buffer.from(createHmac('sha256', secret).update(`v0:${t}:`).update(signed).digest('hex'));
      if (mistake === 'single_v1') candidates = candidates.slice(0, 1);
      const ok = candidates.some((c) => {
        const got = Buffer.from(c);
        return got.length === expected.length && timingSafeEqual(got, expected);
      });
      if (!ok)
        return mistake === 'crash_on_bad_signature'
          ? answer(500, 'Internal Server Error')
          : answer(401, 'bad signature');
      const envelope = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      const id = String(envelope.id);
      if (
        mistake === 'order_sensitive' &&
        envelope.type === 'intervention.resolved' &&
        !accepted.some(
          (a) =>
            a.envelope.type === 'intervention.requested' &&
            requestId(a.envelope) !== undefined &&
            requestId(a.envelope) === requestId(envelope),
        )
      )
        return answer(409, 'no such intervention');
      if (seen.has(id))
        return mistake === 'no_idempotency' ? answer(500, 'duplicate key') : answer(200, 'already had it');
      seen.add(id);
      accepted.push({ envelope, raw, headers: req.headers });
      answer(200, 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/anchor`,
    accepted,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
