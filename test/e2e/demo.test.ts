// `npm run demo` (after the build that `npm test` does): every step ends as expected.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, isolatedEnv } from '../helpers/bin.js';

describe('the demo', () => {
  it('runs the offline tour to the end', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], { env: isolatedEnv(), encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Demo finished: every step ended as expected.');
    expect(r.stdout).toContain('$ anchor webhooks create');
    expect(r.stdout).toContain('$ anchor webhooks delete');
  });
});
