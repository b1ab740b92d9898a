// `anchor __complete <words…>`: answered from a small CommonJS bundle (dist/complete.cjs), since the
// shell waits for it on every Tab. Webhook ids come from the API only when a key is configured,
// within a short timeout, and silently give nothing on any failure.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { commandWord, givenGlobals } from '../argv.js';
import { buildProgram } from '../program.js';
import { complete, formatCompletion, type Candidate } from './engine.js';
import { configDir } from '../config/paths.js';
import { lookupUnchecked } from '../config/lookup.js';
import { foreignOwner } from '../lib/ownership.js';

const ID_TIMEOUT_MS = 1500;

/** A global option's value in the words typed so far (the last one given wins, as in commander). */
function globalValue(words: readonly string[], key: 'profile' | 'apiUrl'): string | undefined {
  const value = givenGlobals(words.slice(0, -1)).get(key);
  return typeof value === 'string' ? value : undefined;
}

async function webhookIds(words: readonly string[], env: Record<string, string | undefined>): Promise<Candidate[]> {
  try {
    const profile = globalValue(words, 'profile') ?? env.ANCHOR_PROFILE ?? 'default';
    const file = join(configDir(env), 'config.json');
    // A file another user owns is not read (the commands refuse it): its api-url would get the key.
    const stat = statSync(file, { throwIfNoEntry: false });
    const stored =
      stat && foreignOwner(stat) === undefined
        ? ((JSON.parse(readFileSync(file, 'utf8')) as { profiles?: Record<string, Record<string, string>> }).profiles?.[
            profile
          ] ?? {})
        : {};
    const { key, url: base } = lookupUnchecked(env, globalValue(words, 'apiUrl'), stored);
    if (!key) return [];
    // node:http and the transport only when an id is wanted: most Tabs complete a word or a flag.
    const { isLoopbackHost, send } = await import('../api/transport.js');
    const url = new URL('/v1/webhooks', base);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return [];
    const res = await send({
      method: 'GET',
      url,
      headers: {
        'anchor-api-key': key,
        Accept: 'application/json',
        'User-Agent': `anchor-cli/${__ANCHOR_VERSION__} (completion)`,
      },
      timeoutMs: ID_TIMEOUT_MS,
      env,
    });
    if (res.status !== 200) return [];
    const { webhooks } = JSON.parse(res.body.toString('utf8')) as {
      webhooks?: Array<{ id?: unknown; url?: unknown; description?: unknown }>;
    };
    return (webhooks ?? [])
      .filter((w) => typeof w.id === 'string')
      .map((w) => ({ value: w.id as string, description: String(w.description ?? w.url ?? '') }));
  } catch {
    return [];
  }
}

export async function runComplete(
  words: string[],
  env: Record<string, string | undefined>,
  write: (s: string) => void,
): Promise<number> {
  // Only what the typed words name is built in full: the group, and the command within it once its
  // name is typed (until then the group's commands need only their names and descriptions).
  const typed = words.slice(0, -1);
  const program = buildProgram(
    () => Promise.resolve(),
    { writeOut: () => {}, writeErr: () => {} },
    { only: commandWord(typed) ?? null, leaf: commandWord(typed, 1) ?? '' },
  );
  const result = await complete(program, words, { webhookIds: () => webhookIds(words, env) });
  write(formatCompletion(result));
  return 0;
}
