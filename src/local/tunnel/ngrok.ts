// `--tunnel ngrok`: its agent, with the user's authtoken, `ngrok http <port> --log stdout
// --log-format json`. Each log line is a JSON object; the URL is in the one whose msg is
// "started tunnel":  {"lvl":"info","msg":"started tunnel","name":"command_line","url":"https://….ngrok-free.app"}
// Its documented failures carry an error code in the text: ERR_NGROK_108 (the account's limit of
// agent sessions), ERR_NGROK_4018 (no authtoken configured).
import type { Sighting, TunnelProgram } from './program.js';
import { urlIn } from './program.js';

export const NGROK_FAILURES = {
  ERR_NGROK_108: {
    failure:
      'ngrok refused another agent session: your account is at its limit of simultaneous sessions (ERR_NGROK_108)',
    fix: 'Stop the other ngrok agent (see dashboard.ngrok.com/agents), then run this again.',
  },
  ERR_NGROK_4018: {
    failure: 'ngrok needs an account and its authtoken, and has none (ERR_NGROK_4018)',
    fix: 'Sign up at dashboard.ngrok.com/signup, then run `ngrok config add-authtoken <token>` once.',
  },
} as const;

export function readNgrokLine(line: string): Sighting {
  for (const [code, said] of Object.entries(NGROK_FAILURES)) if (line.includes(code)) return { ...said };
  if (!line.trimStart().startsWith('{')) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { msg, url } = entry as Record<string, unknown>;
  if (msg !== 'started tunnel' || typeof url !== 'string') return undefined;
  const found = urlIn(url);
  return found === undefined ? undefined : { url: found };
}

export function ngrokProgram(port: number): TunnelProgram {
  return {
    name: 'ngrok',
    label: 'ngrok',
    file: 'ngrok',
    args: ['http', String(port), '--log', 'stdout', '--log-format', 'json'],
    installHint:
      'Install the ngrok agent from ngrok.com/download, then give it your authtoken once: `ngrok config add-authtoken <token>`. Or use `--tunnel ssh`, which needs only an ssh client, or `--register <public-url>` with any tunnel you run yourself.',
    read: readNgrokLine,
  };
}
