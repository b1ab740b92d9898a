// `anchor emulator`: its flags and help. The command is in handler.ts.
import { parseDuration } from '../../lib/duration.js';
import { command, FlagError, type Flag } from '../spec.js';
import { bool, customOr, textOr } from '../flag-builders.js';
import { port } from '../value-flags.js';

const apiKeys: Flag<string[] | undefined> = {
  flags: '--api-key <key...>',
  description: 'accept only these API keys (default: any non-empty key, a project per key)',
  type: 'string[]',
  repeat: true,
  parse: (raw) => {
    if (raw === undefined) return undefined;
    const keys = (Array.isArray(raw) ? raw : [raw]).map(String);
    if (keys.some((k) => k === '')) throw new FlagError('an API key must not be empty');
    return keys;
  },
};

export const emulatorCommand = command(
  {
    id: 'emulator',
    description: 'run a local Anchor webhooks API: the 8 endpoints, signed deliveries with retries, the delivery log',
  },
  () => ({
    flags: {
      port: port('--port <port>', 'port to listen on; 0 takes a free one', 4010),
      host: textOr('--host <host>', 'address to bind', '127.0.0.1', 'must not be empty'),
      apiKey: apiKeys,
      allowLocalTargets: bool(
        '--allow-local-targets',
        'accept http:// and loopback/private webhook URLs, for local receivers',
      ),
      retryDelays: customOr(
        '--retry-delays <list>',
        'waits after attempts 1-5, e.g. 250ms,1s,30s,5m,1h',
        (text) => {
          const ms: number[] = [];
          for (const part of text.split(',').map((p) => p.trim())) {
            const wait = parseDuration(part);
            if (wait === undefined) throw new FlagError(`"${part}" is not a duration like 250ms, 1s, 5m or 1h`);
            ms.push(wait);
          }
          if (ms.length > 5) throw new FlagError('give at most 5 waits (there are 6 attempts)');
          return ms;
        },
        '500ms,1s,2s,5s,10s',
      ),
    },
    examples: [
      'anchor emulator --port 0 --allow-local-targets',
      'anchor emulator --api-key test_key_1 --retry-delays 10ms,10ms,10ms,10ms,10ms',
      'export ANCHOR_API_URL=http://127.0.0.1:4010 ANCHOR_API_KEY=any-key',
    ],
  }),
);
