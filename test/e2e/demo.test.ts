// `npm run demo` (after the build that `npm test` does): every step ends as expected.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, isolatedEnv } from '../helpers/bin.js';

describe('the demo', () => {
  // One deadline for the demo (75 s, inside the test's 90 s); the steps' own waits are shorter.
  it('runs the offline tour to the end', async () => {
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
        env: isolatedEnv(),
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
  }, 90_000);
});
