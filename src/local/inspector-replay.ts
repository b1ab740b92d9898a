// The inspector's replay: a recorded request sent again as received, re-signed, or re-signed with a
// body the user edited on the page. Whatever the page asks, a refused request is never signed here
// (its body is a stranger's), and an edited body is read within the size of a delivery.
import type http from 'node:http';
import { deliver } from './deliver.js';
import { recordReplay, replayRequest, type ReplayRecordContext } from './replay.js';
import type { RecordedRequest } from './record.js';
import { MAX_BODY_BYTES } from './receiver-types.js';

export type ReplayMode = 'resigned' | 'as-received' | 'edited';

/** A request the page got wrong: answered 400 (or 413), with the message. */
export class ReplayRefused extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Why nothing can be re-signed: said by the API and shown beside the page's disabled buttons. */
export const NO_SECRET_REASON =
  'no secret to re-sign with: restart with --secret-file <path> or ANCHOR_WEBHOOK_SECRET set, or use the forwarding secret that `anchor webhooks listen --print-secret` prints';

export function replayMode(mode: string): ReplayMode {
  if (mode === 'resigned' || mode === 'as-received' || mode === 'edited') return mode;
  throw new ReplayRefused(`unknown replay mode "${mode}": give mode=resigned, mode=as-received or mode=edited`);
}

/** The edited body of a POST, at most a delivery's 1 MiB, within the server's request deadline. */
export function readEditedBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new ReplayRefused('the edited body was cut off')));
  });
}

const tooLarge = () =>
  new ReplayRefused(
    `the edited body is over ${MAX_BODY_BYTES / 1048576} MiB, the most Anchor delivers; nothing was sent`,
    413,
  );

export interface ReplayTarget extends ReplayRecordContext {
  nowSeconds: number;
  secret: string | undefined;
  to: URL | undefined;
}

/** Sends the record again (mode checked by replayMode); the app's answer as the page shows it. */
export async function replayFromPage(
  r: RecordedRequest,
  mode: ReplayMode,
  edited: Buffer | undefined,
  t: ReplayTarget,
) {
  if (mode !== 'as-received' && r.verdict === 'refused')
    throw new ReplayRefused(
      `${r.id} was refused by listen, so the inspector replays it only as received (mode=as-received): re-signing would put your signature on a stranger's body${mode === 'edited' ? ', and an edited body would be re-signed' : ''}. If you know where it came from: anchor webhooks replay ${r.id} --resign-refused`,
    );
  const url = t.to ?? (r.forward ? new URL(r.forward.url) : undefined);
  if (!url) throw new ReplayRefused(`${r.id} was not forwarded anywhere; start the inspector with --to <url>`);
  let req;
  // The page's secret is the forwarding secret when there is no other: what the app received.
  if (mode === 'as-received')
    req = replayRequest(r, {
      asReceived: true,
      // As the app received it, when it goes to that app; else as listen received it.
      ...(t.secret && r.forward?.url === url.toString() ? { forwardingSecret: t.secret } : {}),
    });
  else {
    if (!t.secret) throw new ReplayRefused(NO_SECRET_REASON);
    req = replayRequest(r, {
      asReceived: false,
      secret: t.secret,
      nowSeconds: t.nowSeconds,
      ...(mode === 'edited' ? { body: edited ?? Buffer.alloc(0) } : {}),
    });
  }
  // Recorded like the CLI's replays (src/local/replay.ts), linked to the original.
  const a = await deliver(url, req.headers, req.body, t.env).catch((e: unknown) => {
    recordReplay(t, r, req, url, { error: (e as Error).message });
    throw e;
  });
  const replayRecordId = recordReplay(t, r, req, url, a);
  return {
    record_id: r.id,
    replay_record_id: replayRecordId,
    url: url.toString(),
    resigned: mode !== 'as-received',
    ...(mode === 'edited' ? { edited: true } : {}),
    status: a.status,
    latency_ms: a.latencyMs,
    response_body: a.body,
  };
}
