// A tunnel program left running by a listener that was killed without its clean-up (kill -9 skips
// every handler): it would carry Anchor's deliveries to whatever listens next on that port. listen
// cannot stop it then; the next run (and `anchor doctor`, which keeps that state file while the
// program runs) finds it through the dead listener's state file (its `tunnel_pid`) and says so
// with how to stop it. It never kills it: the pid is trusted only when
// the process's command line (/proc/<pid>/cmdline, Linux; elsewhere nothing is said) is the
// program that listener started, so a pid reused by another program is left unnamed.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { findListeners, type FoundListener, type ListenState } from '../listen-state.js';
import { cloudflaredProgram } from './cloudflared.js';
import { ngrokProgram } from './ngrok.js';

/** /proc/<pid>/cmdline is a few hundred bytes; a longer one is read this far. */
const MAX_CMDLINE_BYTES = 16 * 1024;

export interface LeftoverTunnel {
  pid: number;
  /** The provider, as the state file names it (cloudflared, ngrok, ssh, cmd). */
  tunnel: string;
  /** The port of the dead listener it forwards to. */
  port: number;
}

/** A process's argv, or undefined when it is gone, not readable, or this is not Linux. */
export function commandLineOf(pid: number, platform: NodeJS.Platform = process.platform): string[] | undefined {
  if (platform !== 'linux') return undefined;
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`).subarray(0, MAX_CMDLINE_BYTES).toString('utf8');
    const argv = raw.split('\0');
    if (argv.at(-1) === '') argv.pop();
    return argv.length > 0 ? argv : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `argv` is the tunnel program a listener on `port` started: cloudflared's and ngrok's
 * exact arguments after their name (a script run by its interpreter counts: `node …/cloudflared …`);
 * ssh and a --tunnel-cmd command (which may have exec'd another program) by the port they were given.
 */
export function isTunnelProgram(argv: readonly string[], state: Pick<ListenState, 'tunnel' | 'port'>): boolean {
  const port = state.port;
  const exact =
    state.tunnel === 'cloudflared'
      ? cloudflaredProgram(port)
      : state.tunnel === 'ngrok'
        ? ngrokProgram(port)
        : undefined;
  if (exact) {
    const at = argv.findIndex((a) => basename(a) === exact.file);
    return at >= 0 && JSON.stringify(argv.slice(at + 1)) === JSON.stringify(exact.args);
  }
  const names = new RegExp(`(^|[^0-9])${port}([^0-9]|$)`);
  if (state.tunnel === 'ssh') return basename(argv[0] ?? '') === 'ssh' && argv.some((a) => names.test(a));
  if (state.tunnel === 'cmd') return argv.some((a) => names.test(a));
  return false;
}

/** The tunnel program a dead listener started, when it still runs (named by its command line). */
export function leftoverTunnelOf(found: FoundListener): LeftoverTunnel | undefined {
  const { state } = found;
  if (found.alive || state.tunnel_pid === undefined || state.tunnel === null) return undefined;
  const argv = commandLineOf(state.tunnel_pid);
  return argv && isTunnelProgram(argv, state)
    ? { pid: state.tunnel_pid, tunnel: state.tunnel, port: state.port }
    : undefined;
}

/** The tunnel programs that outlived their listener (its pid gone), still running, named by their command line. */
export function leftoverTunnels(env: Record<string, string | undefined>): LeftoverTunnel[] {
  return findListeners(env).flatMap((found) => leftoverTunnelOf(found) ?? []);
}
