// The README's commands work as written: the "In your own CI" block runs verbatim in bash.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, isolatedEnv } from '../helpers/bin.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

function block(after: string): string {
  const at = readme.indexOf(after);
  expect(at).toBeGreaterThan(0);
  const m = readme.slice(at).match(/```sh\n([\s\S]*?)```/);
  return m![1]!;
}

describe('README', () => {
  it('opens with the two commands for a fresh machine: the demo and the tests', () => {
    const first = block('On a fresh machine');
    expect(first).toContain('npm install && npm run demo');
    expect(first).toContain('npm ci && npm test');
  });

  it('"In your own CI" runs as written and leaves anchor pointed at the emulator', () => {
    const bin = mkdtempSync(join(tmpdir(), 'anchor-readme-bin-'));
    symlinkSync(BIN, join(bin, 'anchor'));
    const cwd = mkdtempSync(join(tmpdir(), 'anchor-readme-'));
    const script = `set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${block('### In your own CI')}\nanchor webhooks create --url http://127.0.0.1:9/ci --event task.completed --json > /dev/null\nanchor webhooks list --json\n`;
    const r = spawnSync('bash', ['-c', script], {
      cwd,
      env: isolatedEnv({ PATH: `${bin}:${process.env.PATH}` }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).not.toMatch(/error|command not found/i);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:9/ci' })]);
  });
});
