import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// Tests that time what they measure (a deadline under load) run alone, after everything else, so
// that no other test file shares the two cores with them.
const ALONE = ['test/reliability/listen-load.test.ts'];

export default defineConfig({
  define: { __ANCHOR_VERSION__: JSON.stringify(pkg.version) },
  test: {
    globalSetup: ['test/helpers/global-tmp.ts', 'test/helpers/global-tools.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // A condition waited for (a page updated, a file written) gets 10 s, not vitest's 1 s: two test
    // files share two cores, and a loaded machine is slow, not wrong.
    expect: { poll: { timeout: 10_000 } },
    // End-to-end tests spawn the built binary and servers; two cores, so keep parallelism modest.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: ALONE, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
