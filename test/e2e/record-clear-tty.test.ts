// `received clear` on a real terminal (tmux), from the built binary: it says what it will remove
// and asks; a "no" keeps every record (exit 130), a "yes" removes them and says how many.
import { afterEach, describe, expect, it } from 'vitest';
import { isolatedEnv, runBin, anchorShellWords } from '../helpers/bin.js';
import { recordedRequest } from '../helpers/record.js';
import { Terminal } from '../helpers/tmux.js';
import { RecordWriter } from '../../src/local/record.js';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.close();
});

function terminal(env: Record<string, string>, args: string): Terminal {
  const t = new Terminal(env);
  terminals.push(t);
  t.start(`${anchorShellWords()} ${args}`);
  return t;
}

describe('received clear on a terminal', () => {
  it('asks first: no keeps the records, yes removes them', async () => {
    const env = isolatedEnv({ TERM: 'xterm-256color' });
    const w = RecordWriter.open(env, (s) => s, Date.now);
    w.request(recordedRequest('rec_one', Date.now() - 2000, 'ok'));
    w.request(recordedRequest('rec_two', Date.now() - 1000, 'refused'));
    w.close();
    const count = async () =>
      (JSON.parse((await runBin(['webhooks', 'received', '--json'], { env })).stdout) as unknown[]).length;
    expect(await count()).toBe(2);

    const no = terminal(env, 'webhooks received clear --refused');
    await no.waitFor('Remove 1 recorded request (refused)');
    no.type('n');
    no.press('Enter');
    expect(await no.exitCode()).toBe(130);
    expect(await count()).toBe(2);

    const yes = terminal(env, 'webhooks received clear');
    await yes.waitFor('Remove 2 recorded requests');
    yes.type('y');
    yes.press('Enter');
    expect(await yes.exitCode()).toBe(0);
    expect(yes.screen()).toContain('Removed 2 recorded requests.');
    expect(await count()).toBe(0);
  });
});
