// `npm run demo` (after the build that `npm test` does): every step ends as expected, and it
// writes nothing into the user's home, config or state folders (its listener's record included).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, isolatedEnv } from '../helpers/bin.js';

/** Every path under `dir`, relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('the demo', () => {
  // One deadline for the demo (75 s, inside the test's 90 s); the steps' own waits are shorter.
  it("runs the offline tour to the end, and leaves the user's folders as they were", async () => {
    // The user's own folders, as a user with every variable set would have them.
    const env = isolatedEnv();
    const user = {
      home: env.HOME!,
      config: env.XDG_CONFIG_HOME!,
      state: env.XDG_STATE_HOME!,
      stateDir: mkdtempSync(join(tmpdir(), 'anchor-demo-state-dir-')),
    };
    for (const dir of [user.config, user.state]) mkdirSync(dir, { recursive: true });
    const before = Object.values(user).map(tree);
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
        env: { ...env, ANCHOR_STATE_DIR: user.stateDir },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 75_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Demo finished: every step ended as expected.');
    expect(r.stdout).toContain('$ anchor webhooks create');
    expect(r.stdout).toContain('$ anchor webhooks delete');
    // A URL refused by the rules, then (a different error) an event type with a suggestion.
    expect(r.stderr).toContain('10.0.0.7 is a private address');
    expect(r.stderr.split('Did you mean "task.completed"').length - 1).toBe(1);
    // The demo's listener recorded its deliveries, and none of it is in the user's record.
    expect(r.stdout).toContain('anchor webhooks listen --port 0');
    expect(Object.values(user).map(tree)).toEqual(before);
  }, 90_000);
});
