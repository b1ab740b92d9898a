// End-to-end helpers: run the built binary as a user would, with an isolated config folder and an
// environment free of the developer's own ANCHOR_* settings. With ANCHOR_TEST_BINARY=<path> set,
// "the built binary" is that single executable (`npm run build:binary`) instead of the npm
// package's bin/anchor.cjs on this Node.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'anchor.cjs');
/** The single executable under test (ANCHOR_TEST_BINARY, absolute or from the project's root), if any. */
export const TEST_BINARY = process.env.ANCHOR_TEST_BINARY ? resolve(ROOT, process.env.ANCHOR_TEST_BINARY) : undefined;
/**
 * The runtime inside the binary under test: Bun for the shipped one, Node for the SEA candidate
 * (`npm run build:binary -- --runtime node` names it `anchor-<target>-node-sea`).
 */
export const TEST_BINARY_RUNTIME: 'bun' | 'node' | undefined = TEST_BINARY
  ? /-node-sea(\.exe)?$/.test(TEST_BINARY)
    ? 'node'
    : 'bun'
  : undefined;
/** The file a shell runs as `anchor` (a link on PATH): the single executable, or bin/anchor.cjs (its shebang finds node). */
export const ANCHOR_EXECUTABLE = TEST_BINARY ?? BIN;
if (TEST_BINARY && !existsSync(TEST_BINARY))
  throw new Error(`ANCHOR_TEST_BINARY names ${TEST_BINARY}, which does not exist: run \`npm run build:binary\` first`);

/** The command and its arguments that run `anchor <args>`: `node bin/anchor.cjs <args>`, or the single executable alone. */
export function anchorCommand(args: readonly string[] = []): [command: string, args: string[]] {
  return TEST_BINARY ? [TEST_BINARY, [...args]] : [process.execPath, [BIN, ...args]];
}

/** The same as `{ command, args }`, the shape of the MCP SDK's StdioClientTransport parameters. */
export function anchorCommandParams(args: readonly string[] = []): { command: string; args: string[] } {
  const [command, rest] = anchorCommand(args);
  return { command, args: rest };
}

/** `anchor` as a shell command line's first words (for tmux and script(1)), each quoted. */
export function anchorShellWords(): string {
  const [command, args] = anchorCommand();
  return [command, ...args].map((w) => `'${w}'`).join(' ');
}

export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('ANCHOR') || k === 'CI' || k === 'NO_COLOR' || k === 'FORCE_COLOR') continue;
    env[k] = v;
  }
  const home = mkdtempSync(join(tmpdir(), 'anchor-e2e-'));
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    // One compile cache for the suite's processes (Node 20's is ours, bin/compile-cache-node20.cjs):
    // each spawn would otherwise compile the bundles cold and write a cache no one reads.
    ...(process.env.ANCHOR_SUITE_TMPDIR ? { XDG_CACHE_HOME: join(process.env.ANCHOR_SUITE_TMPDIR, 'cache') } : {}),
    ...extra,
  };
}

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runBin(
  args: string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(...anchorCommand(args), {
      env: options.env ?? isolatedEnv(),
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

export interface BinEmulator {
  url: string;
  lines: string[];
  child: ChildProcess;
  stderr: () => string;
  /** Sends SIGINT (or the given signal) and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Starts `anchor emulator --port 0 …` from the built binary and waits for its URL line. */
export function startBinEmulator(args: string[] = [], env = isolatedEnv()): Promise<BinEmulator> {
  return new Promise((resolve, reject) => {
    const child = spawn(...anchorCommand(['emulator', '--port', '0', ...args]), {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines: string[] = [];
    const rl = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${stderr}`)), 10_000);
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    child.on('exit', (code) => {
      if (lines.length === 0) {
        clearTimeout(timer);
        reject(new Error(`emulator exited ${code}: ${stderr}`));
      }
    });
    rl.on('line', (line) => {
      lines.push(line);
      // The URL comes first, then the export lines; ANCHOR_API_URL= is always among them.
      if (line.startsWith('ANCHOR_API_URL=')) {
        clearTimeout(timer);
        resolve({
          url: lines[0]!,
          lines,
          child,
          stderr: () => stderr,
          stop: (signal = 'SIGINT') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
  });
}
