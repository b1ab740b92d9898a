// `--tunnel ssh`: a reverse tunnel with the system's OpenSSH client, `ssh -R 80:127.0.0.1:<port>
// <host>` (localhost.run by default; pinggy's `a.pinggy.io`, or any host with the same service,
// through --tunnel-host user@host[:port]). The URL is in the banner the service prints:
//   localhost.run:  <id>.lhr.life tunneled with tls termination, https://<id>.lhr.life
//   pinggy:         a line holding only https://<id>.a.pinggy.link (after its http:// twin)
// Any http(s) URL in those places is taken (the tests' server prints a loopback one); the other
// URLs of the banners (docs, the admin page) sit inside sentences and are not.
//
// Choices, so that ssh never stops to ask and never trusts silently: BatchMode (no password or
// passphrase prompt: a host that needs one fails, and says so), StrictHostKeyChecking=accept-new
// (a host's first key is kept, a changed key is refused), kept in anchor's own known-hosts file in
// the state folder (OpenSSH reads ~/.ssh from the password database, not $HOME, and a throwaway
// tunnel host has no place in the user's own file), ExitOnForwardFailure (a refused -R ends ssh
// instead of leaving a session that forwards nothing), and keep-alives (a dead link ends ssh).
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { stateDir } from '../record-files.js';
import type { Sighting, TunnelProgram } from './program.js';
import { urlIn } from './program.js';

export const DEFAULT_SSH_TUNNEL_HOST = 'nokey@localhost.run';

/** user@host[:port], each part of the characters hosts and users have (so never an ssh option). */
const HOST = /^(?:([A-Za-z0-9_][A-Za-z0-9._-]{0,63})@)?([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))(?::([0-9]{1,5}))?$/;

export interface SshTarget {
  /** `user@host` or `host`, as ssh takes it. */
  destination: string;
  port?: number;
}

/** --tunnel-host's value as ssh will get it; a value ssh could read as an option is refused. */
export function parseTunnelHost(value: string): SshTarget {
  const m = HOST.exec(value);
  const port = m?.[3] === undefined ? undefined : Number(m[3]);
  if (!m || (port !== undefined && (port < 1 || port > 65535)))
    throw new UsageError(`invalid --tunnel-host "${value}": expected user@host or user@host:port`, {
      hint: `For example ${DEFAULT_SSH_TUNNEL_HOST} (the default) or a.pinggy.io:443.`,
    });
  return { destination: m[1] === undefined ? m[2]! : `${m[1]}@${m[2]}`, ...(port !== undefined ? { port } : {}) };
}

export function readSshLine(line: string): Sighting {
  const lhr = /tunneled with tls termination,\s+(\S+)/.exec(line);
  if (lhr) {
    const url = urlIn(lhr[1]!);
    return url === undefined ? undefined : { url };
  }
  const alone = line.trim();
  const url = urlIn(alone);
  if (url === undefined || url !== alone) return undefined;
  // pinggy prints its http:// address first and the https:// one on the next line: wait for that.
  if (url.startsWith('http://') && /\.pinggy\.(link|online)$/i.test(new URL(url).hostname)) return undefined;
  return { url };
}

/** Anchor's own known-hosts file for tunnel hosts (see the header). */
export function tunnelKnownHosts(env: Record<string, string | undefined>): string {
  return join(stateDir(env), 'tunnel-known-hosts');
}

export function sshProgram(port: number, target: SshTarget, knownHosts: string): TunnelProgram {
  const options = [
    'BatchMode=yes',
    'StrictHostKeyChecking=accept-new',
    'ExitOnForwardFailure=yes',
    'ServerAliveInterval=15',
    'ServerAliveCountMax=3',
    'ConnectTimeout=15',
    // Quoted for ssh's own option parser (a state folder may hold spaces); a path with a quote
    // leaves ssh's default file instead.
    ...(knownHosts.includes('"') ? [] : [`UserKnownHostsFile="${knownHosts}"`]),
  ];
  return {
    name: 'ssh',
    label: `ssh to ${target.destination}${target.port !== undefined ? `:${target.port}` : ''}`,
    file: 'ssh',
    args: [
      '-T',
      '-n',
      ...options.flatMap((o) => ['-o', o]),
      ...(target.port !== undefined ? ['-p', String(target.port)] : []),
      '-R',
      `80:127.0.0.1:${port}`,
      target.destination,
    ],
    installHint:
      'Install the OpenSSH client (Debian/Ubuntu: `sudo apt-get install openssh-client`; macOS and Windows 10+ ship it).',
    read: readSshLine,
  };
}
