// Reading stdin and files given on the command line, each with a limit: a payload or a secret is
// small, and `--payload /dev/zero` or an endless pipe must end with a message, not fill memory.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';

/** A webhook body is at most 1 MiB; this leaves room for fixtures and never for a runaway input. */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
/** A signing secret or an API key. */
export const MAX_SECRET_BYTES = 64 * 1024;

const tooLarge = (what: string, max: number) =>
  new UsageError(
    `${what} is larger than ${max >= 1024 * 1024 ? `${max / (1024 * 1024)} MiB` : `${max / 1024} KiB`}; stopped reading it`,
  );

/** All of a stream, up to `max` bytes. */
export async function readStreamBounded(stream: Readable, max: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    const chunk = Buffer.isBuffer(c) ? c : Buffer.from(String(c));
    size += chunk.length;
    if (size > max) {
      stream.destroy();
      throw tooLarge(what, max);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A file, up to `max` bytes (a device or a pipe included: it is read, not stat-ed). */
export function readFileBounded(path: string, max: number, what: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const buf = Buffer.alloc(Math.min(64 * 1024, max + 1 - size));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      size += n;
      if (size > max) throw tooLarge(what, max);
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}
