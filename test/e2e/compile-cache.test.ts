// Node 20 has no module.enableCompileCache, so bin/ keeps a V8 code cache of dist/'s bundles itself
// (bin/compile-cache-node20.cjs); Node 22+ uses Node's own. From the built binary, on the Node line
// the suite runs on: on 20, the first start writes 0600 entries in a 0700 folder of the user's, the
// next reads them (and writes nothing), a damaged entry is replaced, an entry of a changed bundle
// is pruned, and a folder that is a link or that others may write is neither read nor written;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. On 22+, nothing of ours is written.
import { describe, expect, it } from 'vitest';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_BINARY, isolatedEnv, runBin } from '../helpers/bin.js';

const NODE20 = Number(process.versions.node.split('.')[0]) < 22;

/** An environment whose cache folder is its own (not the suite's shared one). */
function envWithCache(): { env: Record<string, string>; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'anchor-compile-cache-'));
  return { env: isolatedEnv({ XDG_CACHE_HOME: root }), root };
}

/** The cache folder's entries, with their modification times (none when it was never made). */
function entries(root: string): Map<string, number> {
  const base = join(root, 'anchor', 'compile-cache');
  const found = new Map<string, number>();
  let folders: string[] = [];
  try {
    folders = readdirSync(base);
  } catch {
    return found;
  }
  for (const f of folders)
    for (const e of readdirSync(join(base, f))) found.set(join(base, f, e), statSync(join(base, f, e)).mtimeMs);
  return found;
}

// The single executable (ANCHOR_TEST_BINARY) is not the package on Node 20: its runtime is Bun's.
describe.runIf(NODE20 && !TEST_BINARY)('the compile cache of Node 20', () => {
  it('is written on the first start, read on the next, and the output is the same', async () => {
    const { env, root } = envWithCache();
    const first = await runBin(['events', 'list', '--json'], { env });
    expect(first.code).toBe(0);
    const written = entries(root);
    const names = [...written.keys()].map((p) => p.split('/').pop()!);
    expect(names.some((n) => n.startsWith('cli.cjs~'))).toBe(true);
    expect(names.some((n) => n.startsWith('chunks+'))).toBe(true);
    for (const p of written.keys()) expect(statSync(p).mode & 0o777).toBe(0o600);
    const folder = [...written.keys()][0]!.split('/').slice(0, -1).join('/');
    expect(statSync(folder).mode & 0o777).toBe(0o700);

    const second = await runBin(['events', 'list', '--json'], { env });
    expect(second.stdout).toBe(first.stdout);
    // Every entry was accepted: none was written again.
    expect(entries(root)).toEqual(written);
  });

  it('replaces a damaged entry and prunes the entry of a bundle that changed', async () => {
    const { env, root } = envWithCache();
    expect((await runBin(['events', 'list', '--json'], { env })).code).toBe(0);
    const cli = [...entries(root).keys()].find((p) => p.split('/').pop()!.startsWith('cli.cjs~'))!;
    writeFileSync(cli, 'not a code cache');
    const stale = join(cli, '..', 'cli.cjs~1~1');
    writeFileSync(stale, 'an older build', { mode: 0o600 });
    const again = await runBin(['events', 'list', '--json'], { env });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toBeInstanceOf(Array);
    expect(readFileSync(cli, 'utf8')).not.toBe('not a code cache');
    expect(entries(root).has(stale)).toBe(false);
  });

  it('neither reads nor writes a folder that is a link or that others may write, nor when turned off', async () => {
    const linked = envWithCache();
    const elsewhere = mkdtempSync(join(tmpdir(), 'anchor-compile-cache-target-'));
    mkdirSync(join(linked.root, 'anchor'), { recursive: true });
    symlinkSync(elsewhere, join(linked.root, 'anchor', 'compile-cache'));
    expect((await runBin(['events', 'list', '--json'], { env: linked.env })).code).toBe(0);
    // The link's own folder was made by the run (recursive mkdir follows it): nothing in it is written.
    for (const f of readdirSync(elsewhere)) expect(readdirSync(join(elsewhere, f))).toEqual([]);

    const open = envWithCache();
    mkdirSync(join(open.root, 'anchor', 'compile-cache'), { recursive: true });
    chmodSync(join(open.root, 'anchor', 'compile-cache'), 0o777);
    const run = await runBin(['events', 'list', '--json'], { env: open.env });
    expect(run.code).toBe(0);
    expect(entries(open.root).size).toBe(0);

    const off = envWithCache();
    expect(
      (await runBin(['events', 'list', '--json'], { env: { ...off.env, NODE_DISABLE_COMPILE_CACHE: '1' } })).code,
    ).toBe(0);
    expect(entries(off.root).size).toBe(0);
  });
});

describe.runIf(!NODE20)('the compile cache of Node 22 and later', () => {
  it("is Node's own: anchor writes no cache of its own", async () => {
    const { env, root } = envWithCache();
    expect((await runBin(['events', 'list', '--json'], { env })).code).toBe(0);
    expect(entries(root).size).toBe(0);
  });
});
