// How the action runs anchor: the CLI bundle committed beside it, under the runner's own Node, with
// the API key in the child's environment (never in its argv), and what it prints read within limits.
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ActionError, getInput, type Env } from './runner.js';

/** The CLI bundle (action/dist/anchor.cjs): the same src/cli.ts the npm package runs. */
export const ANCHOR_CLI = join(import.meta.dirname, 'anchor.cjs');

/** GitHub refuses a step output over 1 MB; a larger --json document is said, not cut. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * The child's environment: the job's, without the runner's INPUT_* and STATE_* variables (the key is
 * handed on once, by its own name), plus the key and API URL from the inputs when given.
 */
export function cliEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env))
    if (v !== undefined && !k.startsWith('INPUT_') && !k.startsWith('STATE_')) out[k] = v;
  const key = getInput(env, 'api-key');
  if (key) out.ANCHOR_API_KEY = key;
  const url = getInput(env, 'api-url');
  if (url) out.ANCHOR_API_URL = url;
  return out;
}

/** The last `max` bytes written to a stream, for the message of a failure. */
export class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly max = 64 * 1024) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - this.chunks[0]!.length >= this.max) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.max)).toString('utf8');
  }
}

/** Whole lines (with their newline) of a stream, each given once; a line is cut at 64 KiB. */
export class LineSplitter {
  private partial = '';
  // A character split between two chunks is joined, not turned into two replacement characters.
  private readonly decoder = new StringDecoder('utf8');
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: Buffer): void {
    const parts = (this.partial + this.decoder.write(chunk)).split('\n');
    this.partial = parts.pop()!;
    for (const line of parts) this.onLine(`${line}\n`);
    if (this.partial.length > 64 * 1024) this.end();
  }
  end(): void {
    if (this.partial) this.onLine(`${this.partial}\n`);
    this.partial = '';
  }
}

/** A file's first `max` bytes (and whether there was more), or '' when it does not exist. */
export function readStart(path: string, max: number): { text: string; cut: boolean } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { text: '', cut: false };
  }
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, max));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return { text: buf.subarray(0, n).toString('utf8'), cut: size > max };
  } finally {
    closeSync(fd);
  }
}

/**
 * What a file holds from byte `from` on (its last `max` bytes at most), and where it ended: the next
 * read starts there, so a log shown by one step is not shown again by the next.
 */
export function readTail(path: string, from = 0, max = 64 * 1024): { text: string; end: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { text: '', end: from };
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(from, size - max, 0);
    const buf = Buffer.alloc(Math.max(0, size - start));
    const n = readSync(fd, buf, 0, buf.length, start);
    return { text: buf.subarray(0, n).toString('utf8'), end: start + n };
  } finally {
    closeSync(fd);
  }
}

/**
 * What anchor said went wrong: with --json its error is the JSON line `{"error": {message, hint}}`
 * on stderr; otherwise its last line.
 */
export function cliFailure(stderr: string): { message: string; hint?: string } {
  const lines = stderr.split('\n').filter((l) => l.trim());
  for (const line of [...lines].reverse()) {
    try {
      const parsed = JSON.parse(line) as { error?: { message?: unknown; hint?: unknown } };
      if (typeof parsed.error?.message === 'string')
        return {
          message: parsed.error.message,
          ...(typeof parsed.error.hint === 'string' ? { hint: parsed.error.hint } : {}),
        };
    } catch {
      // Not the JSON error line: keep looking.
    }
  }
  return { message: lines.at(-1)?.slice(0, 2000) ?? 'it printed nothing on stderr' };
}

/** A --json document GitHub cannot take as a step output: said, not cut. */
export function outputTooLarge(what: string): ActionError {
  return new ActionError(
    `${what} is over 1 MB, GitHub's limit for a step output`,
    'Narrow the command (fewer webhooks, --limit) or run the CLI in a run: step and write its output to a file.',
  );
}
