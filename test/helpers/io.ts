// Fake streams and IO for in-process command tests, in TTY and non-TTY mode.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import type { IO, SignalName } from '../../src/context.js';
import { main } from '../../src/cli.js';

const TEST_STATE_DIR = mkdtempSync(join(tmpdir(), 'anchor-test-state-'));

export class Capture extends Writable {
  text = '';
  isTTY: boolean;
  columns = 100;
  constructor(tty: boolean) {
    super();
    this.isTTY = tty;
  }
  rows = 40;
  // The tty.WriteStream methods spinners and prompts call, as the escape codes a terminal gets.
  cursorTo(x: number, y?: number | (() => void), cb?: () => void): boolean {
    this.write(typeof y === 'number' ? `\u001b[${y + 1};${x + 1}H` : `\u001b[${x + 1}G`);
    (typeof y === 'function' ? y : cb)?.();
    return true;
  }
  moveCursor(dx: number, dy: number, cb?: () => void): boolean {
    if (dx) this.write(dx > 0 ? `\u001b[${dx}C` : `\u001b[${-dx}D`);
    if (dy) this.write(dy > 0 ? `\u001b[${dy}B` : `\u001b[${-dy}A`);
    cb?.();
    return true;
  }
  clearLine(_dir: number, cb?: () => void): boolean {
    this.write('\u001b[2K');
    cb?.();
    return true;
  }
  clearScreenDown(cb?: () => void): boolean {
    this.write('\u001b[0J');
    cb?.();
    return true;
  }
  getWindowSize(): [number, number] {
    return [this.columns, this.rows];
  }
  hasColors(): boolean {
    return true;
  }
  // Like process.stdout/stderr, which cannot be closed: prompts that pipe into them call end().
  override end(...args: unknown[]): this {
    const cb = args.find((a) => typeof a === 'function') as (() => void) | undefined;
    cb?.();
    return this;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export interface FakeIOOptions {
  tty?: boolean;
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** Keystrokes typed one after another, a little apart, with stdin left open (for prompts). */
  keys?: string[];
  now?: () => Date;
}

export interface FakeIO extends IO {
  stdout: Capture;
  stderr: Capture;
  signals: EventEmitter;
  sendSignal: (s: SignalName) => void;
}

export function fakeIO(options: FakeIOOptions = {}): FakeIO {
  const tty = options.tty ?? false;
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = tty;
  if (options.stdin !== undefined) stdin.end(options.stdin);
  const stderr = new Capture(tty);
  if (options.keys) {
    // Type like a person: only once a prompt is on screen (inquirer marks it with "?"), a prompt
    // is reading keys (readline's keypress listener is on stdin: a key typed between two prompts
    // would be dropped), and the screen has been still for a moment; then a key at a time.
    const keys = [...options.keys];
    let lastLength = -1;
    let stillSince = Date.now();
    const tick = () => {
      if (keys.length === 0) return;
      if (stderr.text.length !== lastLength) {
        lastLength = stderr.text.length;
        stillSince = Date.now();
      } else if (stderr.text.includes('?') && stdin.listenerCount('keypress') > 0 && Date.now() - stillSince >= 100) {
        stdin.write(keys.shift()!);
        stillSince = Date.now();
      }
      setTimeout(tick, 10);
    };
    setTimeout(tick, 10);
  }
  const signals = new EventEmitter();
  return {
    stdin,
    stdout: new Capture(tty),
    stderr,
    // The delivery record of in-process runs goes to a folder of this test process, never to ~.
    env: { ANCHOR_STATE_DIR: TEST_STATE_DIR, ...(options.env ?? {}) },
    now: options.now ?? (() => new Date()),
    signals,
    onSignal(handler) {
      signals.on('signal', handler);
      return () => signals.off('signal', handler);
    },
    sendSignal: (s) => signals.emit('signal', s),
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `anchor <argv>` in-process against fake streams. */
export async function runCli(argv: string[], options: FakeIOOptions = {}): Promise<RunResult> {
  const io = fakeIO(options);
  const code = await main(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}
