// The README's and the guides' commands work as written: the tour and "In your own CI" run
// verbatim in bash, and the check-receiver example is what the command prints. (The GitHub
// Actions recipe of docs/webhooks-as-code.md runs in webhooks-as-code.test.ts.)
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, isolatedEnv, ANCHOR_EXECUTABLE, anchorCommand } from '../helpers/bin.js';
import { startReferenceReceiver } from '../helpers/reference-receivers.js';

const doc = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const readme = doc('README.md');

/** The first sh block after `after` in `text`. */
function block(after: string, text = readme): string {
  const at = text.indexOf(after);
  expect(at).toBeGreaterThan(0);
  const m = text.slice(at).match(/```sh\n([\s\S]*?)```/);
  return m![1]!;
}

describe('README and guides', () => {
  it('opens with the two commands for a fresh machine: the demo and the tests', () => {
    const first = block('On a fresh machine');
    expect(first).toContain('npm install && npm run demo');
    expect(first).toContain('npm ci && npm test');
  });

  it('"In your own CI" runs as written and leaves anchor pointed at the emulator', () => {
    const bin = mkdtempSync(join(tmpdir(), 'anchor-readme-bin-'));
    symlinkSync(ANCHOR_EXECUTABLE, join(bin, 'anchor'));
    const cwd = mkdtempSync(join(tmpdir(), 'anchor-readme-'));
    const script = `set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${block('## In your own CI', doc('docs/emulator.md'))}\nanchor webhooks create --url http://127.0.0.1:9/ci --event task.completed --json > /dev/null\nanchor webhooks list --json\n`;
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

  it('"A 5-minute tour" runs as written: the test event reaches the listener, the log and the record', () => {
    const bin = mkdtempSync(join(tmpdir(), 'anchor-readme-bin-'));
    symlinkSync(ANCHOR_EXECUTABLE, join(bin, 'anchor'));
    const cwd = mkdtempSync(join(tmpdir(), 'anchor-readme-tour-'));
    const script = `set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n${block('## A 5-minute tour')}`;
    const r = spawnSync('bash', ['-c', script], {
      cwd,
      env: isolatedEnv({ PATH: `${bin}:${process.env.PATH}` }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).not.toMatch(/error|command not found/i);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('Delivered: your endpoint answered 200');
    // Piped, `deliveries` and `received` print tab-separated rows.
    expect(r.stdout).toMatch(/\ttask\.completed\tevt_\w+\tsucceeded\t1\t200\t/);
    expect(r.stdout).toMatch(/^rec_\w+\t\S+\ttask\.completed\tevt_\w+\tok\t200\t/m);
  }, 70_000);

  it('"Is my receiver safe?" shows what check-receiver really prints for the reserialised receiver', async () => {
    const guide = doc('docs/local-loop.md');
    const at = guide.indexOf('## Is my receiver safe?');
    expect(at).toBeGreaterThan(0);
    const shown = guide.slice(at).match(/```text\n\$ [^\n]*\n([\s\S]*?)```/)![1]!;
    const secret = 'whsec_readme_example_secret_0123456789';
    const receiver = await startReferenceReceiver('reserialised', secret);
    try {
      const r = await new Promise<{ out: string; code: number | null }>((resolve) => {
        const child = spawn(...anchorCommand(['webhooks', 'check-receiver', receiver.url]), {
          env: isolatedEnv({ ANCHOR_WEBHOOK_SECRET: secret }),
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('close', (code) => resolve({ out, code }));
      });
      expect(r.code).toBe(6);
      // Only the latencies and the port differ from run to run.
      const normalize = (text: string) =>
        text.replace(/ +\d+ ms {2}/g, ' N ms  ').replace(/http:\/\/[^/\s]+\//g, 'http://HOST/');
      expect(normalize(r.out)).toBe(normalize(shown));
    } finally {
      await receiver.close();
    }
  });
});
