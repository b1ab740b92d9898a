// `--tunnel cloudflared`: a quick tunnel (no account), `cloudflared tunnel --no-autoupdate --url
// http://127.0.0.1:<port>`. Its URL is in the boxed banner it logs on stderr:
//   2024-05-19T20:42:42Z INF |  https://some-words-here.trycloudflare.com  |
// (any http(s) URL in that place is taken: the tests' stand-in prints a loopback one). The other
// URLs of its log (the docs link of the "Thank you for trying" line) are outside the box.
// Its documented failure: Cloudflare rate-limits quick tunnels per address, which cloudflared logs
// as `status_code="429 Too Many Requests"` with the body `error code: 1015`.
import type { Sighting, TunnelProgram } from './program.js';
import { urlIn } from './program.js';

export const CLOUDFLARED_RATE_LIMITED = {
  failure: 'Cloudflare refused a quick tunnel: too many from this address lately (429, error 1015)',
  fix: 'Wait a few minutes and run it again, or use --tunnel ngrok or --tunnel ssh meanwhile.',
} as const;

export function readCloudflaredLine(line: string): Sighting {
  if (/429 Too Many Requests|error code:? 1015/i.test(line)) return { ...CLOUDFLARED_RATE_LIMITED };
  const boxed = /\|\s+(\S+)\s+\|\s*$/.exec(line);
  const url = boxed ? urlIn(boxed[1]!) : undefined;
  return url === undefined ? undefined : { url };
}

export function cloudflaredProgram(port: number): TunnelProgram {
  return {
    name: 'cloudflared',
    label: 'cloudflared',
    file: 'cloudflared',
    // --no-autoupdate: a tunnel for this run must not replace its own binary meanwhile.
    args: ['tunnel', '--no-autoupdate', '--url', `http://127.0.0.1:${port}`],
    installHint:
      "Install cloudflared: Cloudflare's package for your system (developers.cloudflare.com/cloudflare-one/connections/connect-networks/downloads/) or `brew install cloudflared`; a quick tunnel needs no account. Or use `--tunnel ssh`, which needs only an ssh client, or `--register <public-url>` with any tunnel you run yourself.",
    read: readCloudflaredLine,
  };
}
