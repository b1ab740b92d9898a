// doctor's `listener` and `tunnel` checks: the `listen` processes that left a state file, each
// asked through its health path (with the file's probe token, so only it answers) on its local
// URL and, when it has one, through its public URL; and which of them serves a webhook's URL.
//
// No listener running is a failure only when the setup needs one: the webhook delivers to a URL a
// listener's state names (that listener is gone), or a running listener has a public URL and the
// webhook delivers elsewhere (a tunnel restarted with a new URL, the webhook left on the old one).
// Otherwise deliveries may well go to the user's own server, and the check is skipped.
import { unlinkSync } from 'node:fs';
import { findListeners, healthUrl, type FoundListener } from '../../local/listen-state.js';
import { leftoverTunnelOf, type LeftoverTunnel } from '../../local/tunnel/leftover.js';
import { isHealthAnswer, missed, probe, type ProbeResult } from './probe.js';
import { failed, passed, skipped, type DoctorCheck } from './report.js';
import type { UrlServer } from './checks-webhook.js';

export interface ProbedListener extends FoundListener {
  local?: ProbeResult;
  public?: ProbeResult;
  /** A stale state file that doctor removed. */
  removed?: true;
  /** The tunnel program this dead listener started, still running: its state file is kept. */
  orphan?: LeftoverTunnel;
}

function removeStale(l: FoundListener): ProbedListener {
  try {
    unlinkSync(l.path);
    return { ...l, removed: true };
  } catch {
    // Gone already (another doctor), or the folder is not writable: it is still named as stale.
    return l;
  }
}

/**
 * Every listener's state file, the running ones probed (concurrently, each within the deadline).
 * The file of a listen whose pid is gone (`kill -9`, a crash) is removed: it is ours, it can only
 * mislead, and left there it would be reported on every run. Except while the tunnel program that
 * listen started still runs: the file is the only record of it (the next listen names it from
 * there), so it stays until that program is stopped.
 */
export async function probeListeners(env: Record<string, string | undefined>): Promise<ProbedListener[]> {
  return Promise.all(
    findListeners(env).map(async (l): Promise<ProbedListener> => {
      if (!l.alive) {
        const orphan = leftoverTunnelOf(l);
        return orphan ? { ...l, orphan } : removeStale(l);
      }
      const [local, pub] = await Promise.all([
        probe('GET', healthUrl(l.state.url, l.state.probe), env),
        l.state.public_url === null ? undefined : probe('GET', healthUrl(l.state.public_url, l.state.probe), env),
      ]);
      return pub === undefined ? { ...l, local } : { ...l, local, public: pub };
    }),
  );
}

const origin = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/** Whether deliveries to `url` reach this listener: its local or public URL has the same origin. */
export function serves(l: FoundListener, url: string): boolean {
  const o = origin(url);
  return (
    o !== undefined && (o === origin(l.state.url) || (l.state.public_url !== null && o === origin(l.state.public_url)))
  );
}

/** The health URL that proves `url` reaches a running listener, when one serves it. */
export function healthFor(listeners: readonly ProbedListener[], url: string): string | undefined {
  const l = listeners.find((x) => x.alive && serves(x, url));
  if (!l) return undefined;
  return healthUrl(
    l.state.public_url !== null && origin(l.state.public_url) === origin(url) ? l.state.public_url : l.state.url,
    l.state.probe,
  );
}

const name = (l: FoundListener) => `listen (pid ${l.state.pid})`;
const where = (l: FoundListener) => `${l.state.url}${l.state.public_url ? `, public URL ${l.state.public_url}` : ''}`;
const RESTART =
  'Start it again: `anchor webhooks listen --tunnel cloudflared --forward-to http://localhost:3000/hooks` (or the command you ran before).';

function staleNote(stale: readonly ProbedListener[]): string {
  const list = (ls: readonly ProbedListener[]) => ls.map((l) => `${l.path} (pid ${l.state.pid})`).join(', ');
  const removed = stale.filter((l) => l.removed);
  const kept = stale.filter((l) => l.orphan);
  const left = stale.filter((l) => !l.removed && !l.orphan);
  const s = (n: number) => (n > 1 ? 's' : '');
  return [
    kept.length
      ? `; kept the state file${s(kept.length)} of a listen that no longer runs but whose tunnel program does (see tunnel): ${list(kept)}`
      : '',
    removed.length
      ? `; removed the stale state file${s(removed.length)} of a listen that no longer runs: ${list(removed)}`
      : '',
    left.length ? `; stale state file${s(left.length)} of a listen that no longer runs (remove it): ${list(left)}` : '',
  ].join('');
}

/** Who answers at `url`: a running listen, one that is gone (its state file says it served it), or unknown. */
export function serverOf(listeners: readonly ProbedListener[], url: string): UrlServer {
  if (listeners.some((l) => l.alive && serves(l, url))) return 'listen';
  return listeners.some((l) => !l.alive && serves(l, url)) ? 'gone listen' : undefined;
}

export function listenerCheck(
  listeners: readonly ProbedListener[],
  webhook?: { id: string; url: string },
): DoctorCheck {
  const running = listeners.filter((l) => l.alive);
  const stale = listeners.filter((l) => !l.alive);
  const deaf = running.filter((l) => !isHealthAnswer(l.local!));
  if (deaf.length)
    return failed(
      'listener',
      `${name(deaf[0]!)} runs but does not answer at ${deaf[0]!.state.url}: ${missed(deaf[0]!.local!)}${staleNote(stale)}`,
      'Stop it (Ctrl-C in its terminal) and start it again; if it is stuck, end that process by its pid.',
    );
  const servingDead = webhook && stale.find((l) => serves(l, webhook.url));
  if (servingDead && !running.some((l) => serves(l, webhook.url)))
    return failed(
      'listener',
      `webhook ${webhook.id} delivers to ${webhook.url}, which ${name(servingDead)} served, and it no longer runs${staleNote(stale)}`,
      RESTART,
    );
  if (running.length === 0) return skipped('listener', `no listen running${staleNote(stale)}`);
  const up = `${running.map((l) => `${name(l)} is up at ${where(l)}`).join('; ')}${staleNote(stale)}`;
  if (webhook && !running.some((l) => serves(l, webhook.url))) {
    const tunnelled = running.find((l) => l.state.public_url !== null);
    if (tunnelled)
      return failed(
        'listener',
        `${up}; but webhook ${webhook.id} delivers to ${webhook.url}, which no running listen serves`,
        `Point the webhook at the listener's public URL: \`anchor webhooks update ${webhook.id} --url ${tunnelled.state.public_url}\` (a tunnel's URL changes each time it starts).`,
      );
    return passed('listener', `${up} (webhook ${webhook.id} delivers elsewhere: ${webhook.url})`);
  }
  return passed('listener', up);
}

/** A tunnel program left running by a killed listen: the failure, with the `kill` that ends it. */
function orphanCheck(orphaned: readonly ProbedListener[]): DoctorCheck {
  const detail = orphaned
    .map(
      (l) =>
        `a ${l.orphan!.tunnel} tunnel (pid ${l.orphan!.pid}) started by ${name(l)}, which was killed, still runs, forwarding to port ${l.orphan!.port}`,
    )
    .join('; ');
  const pids = orphaned.map((l) => l.orphan!.pid).join(' ');
  return failed(
    'tunnel',
    `${detail}: it would carry Anchor's deliveries to whatever listens next on that port (its listener's state file is kept until it stops)`,
    `Stop it with \`kill ${pids}\`; the next \`anchor doctor\` then removes the stale state file.`,
  );
}

/** What to do when a public URL does not reach its listener: restart the tunnel, or fix what --register named. */
function unreachableFix(l: ProbedListener): string {
  if (l.state.tunnel)
    return `The tunnel (${l.state.tunnel}) is down or points elsewhere: restart listen with its tunnel (Ctrl-C, then \`anchor webhooks listen ${l.state.tunnel === 'cmd' ? "--tunnel-cmd '…'" : `--tunnel ${l.state.tunnel}`} …\` again).`;
  return `The URL given to --register must reach this listener: check that your tunnel or proxy forwards ${l.state.public_url!} to port ${l.state.port} (listen's --port) and is up, or let listen start one with \`--tunnel cloudflared|ngrok|ssh\` instead of --register.`;
}

export function tunnelCheck(listeners: readonly ProbedListener[]): DoctorCheck {
  const orphaned = listeners.filter((l) => l.orphan);
  if (orphaned.length) return orphanCheck(orphaned);
  const tunnelled = listeners.filter((l) => l.alive && l.state.public_url !== null);
  if (tunnelled.length === 0)
    return skipped('tunnel', 'no running listen has a public URL (`listen --tunnel <provider>` or `--register <url>`)');
  const broken = tunnelled.find((l) => !isHealthAnswer(l.public!));
  if (broken)
    return failed(
      'tunnel',
      `${broken.state.public_url!} does not reach ${name(broken)}: ${missed(broken.public!)}`,
      unreachableFix(broken),
    );
  return passed(
    'tunnel',
    tunnelled
      .map((l) => `${l.state.public_url!} reaches ${name(l)}${l.state.tunnel ? ` (${l.state.tunnel})` : ''}`)
      .join('; '),
  );
}
