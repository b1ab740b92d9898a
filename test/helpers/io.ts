// Fake streams and IO for in-process command tests, in TTY and non-TTY mode.
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import type { IO, SignalName } from '../../src/context.js';
import { main } from '../../src/cli.js';

export class Capture extends Writable {
  text = '';
  isTTY: boolean;
  columns = 100;
  constructor(tty: boolean) {
    super();
    this.isTTY = tty;
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
  const signals = new EventEmitter();
  return {
    stdin,
    stdout: new Capture(tty),
    stderr: new Capture(tty),
    env: { ...(options.env ?? {}) },
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
