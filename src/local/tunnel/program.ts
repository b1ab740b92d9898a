// What `listen --tunnel` knows of a tunnel program: what to run, how to read the public URL (or a
// documented failure) from one line of its output, and how to install it. One module per
// provider (cloudflared.ts, ngrok.ts, ssh.ts, command.ts) builds one of these.

/** The providers of `--tunnel`, and `cmd` for `--tunnel-cmd`: the state file's `tunnel` field. */
export const TUNNEL_PROVIDERS = ['cloudflared', 'ngrok', 'ssh'] as const;
export type TunnelProvider = (typeof TUNNEL_PROVIDERS)[number];
export type TunnelName = TunnelProvider | 'cmd';

/** What one line of a tunnel program's output says: its public URL, a known failure, or nothing. */
export type Sighting = { url: string } | { failure: string; fix: string } | undefined;

export interface TunnelProgram {
  name: TunnelName;
  /** How messages name it: "cloudflared", "ssh to nokey@localhost.run", "the --tunnel-cmd command". */
  label: string;
  /** The file run (looked up on PATH) and its arguments: never through a shell, except --tunnel-cmd's `sh -c`. */
  file: string;
  args: string[];
  /** Where the program is when it is missing: one sentence. */
  installHint: string;
  read: (line: string) => Sighting;
}

/** An http(s) URL as a tunnel prints it, cut at the first character no URL ends a line with. */
export function urlIn(text: string): string | undefined {
  const m = /\bhttps?:\/\/[^\s"'<>|`]+/.exec(text);
  if (!m) return undefined;
  const url = m[0].replace(/[.,;:!?)\]}]+$/, '');
  try {
    new URL(url);
    return url;
  } catch {
    return undefined;
  }
}
