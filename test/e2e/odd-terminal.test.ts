// A terminal that reports a width of 0 (`script`, `unbuffer`, some CI runners): every API command
// finishes, and `create` shows its secret. Run in a real pseudo-terminal made by script(1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { isolatedEnv, startBinEmulator, type BinEmulator, anchorShellWords } from '../helpers/bin.js';
import { fakeIO, runCli } from '../helpers/io.js';
import { main } from '../../src/cli.js';

let emu: BinEmulator;
beforeAll(async () => {
  emu = await startBinEmulator();
});
afterAll(async () => {
  await emu.stop();
});

/** Runs `anchor <args>` in a pty whose size is 0x0; resolves with what the terminal got, or rejects after 20 s. */
function inZeroWidthTerminal(
  args: string,
  env: Record<string, string>,
): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', `stty cols 0 rows 0; ${anchorShellWords()} ${args}`, '/dev/null'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `still running after 20 s (a spinner that never stops?); the terminal got ${screen.length} bytes, ending:\n${screen.slice(-300)}`,
        ),
      );
    }, 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}

describe('a terminal of width 0', () => {
  it('create finishes and shows the secret; list and delete finish too', async () => {
    const env = isolatedEnv({
      ANCHOR_API_URL: emu.url,
      ANCHOR_API_KEY: `zero-width-${process.pid}`,
      TERM: 'xterm-256color',
    });
    const created = await inZeroWidthTerminal(
      'webhooks create --url https://example.com/zero --event task.completed',
      env,
    );
    expect(created.code).toBe(0);
    expect(created.screen).toMatch(/Signing secret \(shown once\):\s+[0-9a-f]{64}/);
    const id = created.screen.match(/wh_[0-9A-Z]{26}/)![0];
    const list = await inZeroWidthTerminal('webhooks list', env);
    expect(list.code).toBe(0);
    expect(list.screen).toContain(id);
    const del = await inZeroWidthTerminal(`webhooks delete ${id} --yes`, env);
    expect(del.code).toBe(0);
  }, 90_000);

  it('in-process, a TTY that reports 0 columns gets no spinner and the secret', async () => {
    const env = {
      ANCHOR_API_URL: emu.url,
      ANCHOR_API_KEY: `zero-width-inproc-${process.pid}`,
      ANCHOR_CONFIG_DIR: isolatedEnv().HOME,
    };
    for (const columns of [0, -1, Number.NaN, 3]) {
      const io = fakeIO({ tty: true, env });
      io.stderr.columns = columns;
      io.stdout.columns = columns;
      const code = await main(
        [
          'webhooks',
          'create',
          '--url',
          `https://example.com/cols${String(columns)}`,
          '--event',
          'task.completed',
          '--no-input',
        ],
        io,
      );
      expect(code).toBe(0);
      expect(io.stdout.text).toMatch(/[0-9a-f]{64}/);
      expect(io.stderr.text).not.toContain('Creating webhook');
      const list = await runCli(['webhooks', 'list', '--json'], { env });
      for (const w of JSON.parse(list.stdout) as Array<{ id: string }>)
        await runCli(['webhooks', 'delete', w.id, '--yes'], { env });
    }
  });
});
