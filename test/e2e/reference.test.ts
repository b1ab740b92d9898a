// The command reference (docs/commands/) is generated from the declarations: the committed pages
// equal a fresh generation, and they document what the built binary's help shows.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFERENCE_DIR, REGENERATE, pageName, referencePages } from '../../scripts/reference.mjs';
import { ROOT, runBin } from '../helpers/bin.js';

const dir = join(ROOT, REFERENCE_DIR);
const pages = await referencePages();
const STALE = `${REFERENCE_DIR}/ is out of date with the command declarations: run \`${REGENERATE}\` and commit the result`;

/** The command paths the index links to, as `webhooks received list`. */
const commandPaths = [...pages.keys()].filter((f) => f !== 'README.md').map((f) => f.replace(/\.md$/, ''));

describe('committed reference', () => {
  it('has exactly the pages a fresh generation writes, each identical', () => {
    const committed = readdirSync(dir).filter((f) => f.endsWith('.md'));
    const differing = [...pages].filter(([name, text]) => {
      try {
        return readFileSync(join(dir, name), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    const extra = committed.filter((f) => !pages.has(f));
    expect({ differing: differing.map(([name]) => name), extra }, STALE).toEqual({ differing: [], extra: [] });
  });

  it('indexes every page it writes', () => {
    const index = pages.get('README.md')!;
    for (const name of pages.keys()) if (name !== 'README.md') expect(index).toContain(`](${name})`);
  });
});

describe('the reference documents the built binary', () => {
  it('every command the binary lists in its groups has a page', async () => {
    const top = await runBin(['--help']);
    expect(top.code).toBe(0);
    const listed: string[] = [];
    // A group lists its commands under "Commands:", or in sections of its own ("Manage webhooks:").
    const commandsOf = (help: string) =>
      help
        .split(/^(?=\S)/m)
        .filter(
          (block) =>
            /^[A-Z][^\n]*:\n/.test(block) && !/^(Usage|Options|Global Options|Arguments|Examples):/.test(block),
        )
        .flatMap((block) => [...block.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!.replace(/\|.*/, '')));
    // Only groups are asked for their commands (a help run costs ~0.3 s here): a word is taken for
    // a group when the reference has pages under it, so a new command or group shows as a mismatch.
    const isGroup = (words: string[]) => commandPaths.some((p) => p.startsWith(`${words.join('-')}-`));
    const walk = async (words: string[]): Promise<void> => {
      if (!isGroup(words)) return void listed.push(words.join(' '));
      const r = await runBin([...words, '--help']);
      for (const s of commandsOf(r.stdout)) await walk([...words, s]);
    };
    for (const word of commandsOf(top.stdout)) await walk([word]);
    expect(listed.length).toBeGreaterThan(30);
    expect(listed.map((p) => pageName(p)).sort()).toEqual(commandPaths.map((p) => `${p}.md`).sort());
  });

  it.each(commandPaths)('%s: each flag its --help shows is in its flags table', async (path) => {
    const r = await runBin([...pathWords(path), '--help']);
    expect(r.code).toBe(0);
    const own = r.stdout.split(/^Global Options:$/m)[0]!.split(/^Options:$/m)[1] ?? '';
    const flags = [...own.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z0-9-]*)/gm)]
      .map((m) => m[1]!)
      .filter((f) => f !== '--help');
    const page = pages.get(`${path}.md`)!;
    for (const flag of flags) expect(page, `${path}: ${flag}`).toMatch(new RegExp(`^\\| \`(-\\w, )?${flag}[ \`]`, 'm'));
  });
});

/** `webhooks-received-list` → the words of that command, read off the page's title. */
function pathWords(page: string): string[] {
  const title = pages.get(`${page}.md`)!.split('\n')[0]!;
  return title.replace(/^# anchor /, '').split(' ');
}
