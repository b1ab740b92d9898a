// The completion query reads the global options typed so far with the argv scanner: a webhook id
// is asked of the API URL and profile the line names, in either spelling (`--api-url URL` or
// `--api-url=URL`), against the in-process emulator.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runComplete } from '../../src/completion/entry.js';
import { apiClient } from '../helpers/api.js';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';

let emu: CheckedEmulator;
let id: string;
const home = mkdtempSync(join(tmpdir(), 'anchor-complete-'));
const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ANCHOR_API_KEY: 'completion-key' };

beforeAll(async () => {
  emu = await startCheckedEmulator();
  const created = await apiClient(emu.url, 'completion-key')('POST', '/v1/webhooks', {
    url: 'https://hooks.example.com/c',
    subscribed_events: ['task.failed'],
  });
  id = (created.body as { id: string }).id;
});
afterAll(async () => {
  await emu.close();
});

async function candidates(words: string[]): Promise<string[]> {
  let out = '';
  await runComplete(words, env, (s) => (out += s));
  return out
    .split('\n')
    .filter((l) => l && !l.startsWith(':'))
    .map((l) => l.split('\t')[0]!);
}

describe('webhook ids in completion', () => {
  it.each([
    [['--api-url', '@URL', 'webhooks', 'get', '']],
    [['--api-url=@URL', 'webhooks', 'get', '']],
    [['webhooks', 'get', '--api-url=@URL', '']],
  ])('%j asks the API the line names', async (words) => {
    expect(await candidates(words.map((w) => w.replace('@URL', emu.url)))).toEqual([id]);
  });
});
