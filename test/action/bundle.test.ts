// The action runs from the repository as committed (`uses: owner/repo@tag`): action.yml must point
// at files that exist, and action/dist/ must be exactly what `npm run build:action` makes from the
// sources now, byte for byte, or a release would ship an action that is not the code reviewed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/bin.js';
import { ACTION_DIST } from './runner.js';

interface ActionYml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post: string; 'post-if': string };
}

describe('the committed action', () => {
  it('action/dist is what a fresh build makes, byte for byte', { timeout: 120_000 }, () => {
    const out = join(mkdtempSync(join(tmpdir(), 'anchor-action-build-')), 'dist');
    const build = spawnSync(process.execPath, [join(ROOT, 'action', 'build.mjs'), '--outdir', out], {
      encoding: 'utf8',
      timeout: 110_000,
    });
    expect(build.status, build.stderr).toBe(0);
    const fresh = readdirSync(out).sort();
    expect(readdirSync(ACTION_DIST).sort(), 'run npm run build:action and commit action/dist').toEqual(fresh);
    for (const file of fresh)
      expect(
        readFileSync(join(ACTION_DIST, file)).equals(readFileSync(join(out, file))),
        `action/dist/${file} differs from a fresh build: run npm run build:action and commit it`,
      ).toBe(true);
  });

  it('action.yml is a node24 JavaScript action whose main and post are committed, post always run', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'action/dist/main.cjs',
      post: 'action/dist/post.cjs',
      'post-if': 'always()',
    });
    for (const file of [action.runs.main, action.runs.post, 'action/dist/anchor.cjs', 'action/dist/supervisor.cjs'])
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    expect(Object.keys(action.inputs).sort()).toEqual(['api-key', 'api-url', 'args', 'mode', 'timeout']);
    expect(action.inputs.mode!.default).toBe('run');
    expect(Object.keys(action.outputs).sort()).toEqual(['exit-code', 'json', 'url']);
  });

  it('the bundled CLI is the package version and answers as the CLI does', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = spawnSync(process.execPath, [join(ACTION_DIST, 'anchor.cjs'), '--version'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(pkg.version);
    const events = spawnSync(process.execPath, [join(ACTION_DIST, 'anchor.cjs'), 'events', 'list', '--json'], {
      encoding: 'utf8',
    });
    expect(events.status).toBe(0);
    expect((JSON.parse(events.stdout) as { type: string }[]).map((e) => e.type)).toContain('task.completed');
  });
});
