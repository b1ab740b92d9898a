// The inputs of the local-loop commands: the webhook secret (from --secret-file <path|-> or
// ANCHOR_WEBHOOK_SECRET, never a flag's value; for the commands that sign what they send, else the
// forwarding secret) and a payload (from a file or stdin).
import { MAX_PAYLOAD_BYTES, MAX_SECRET_BYTES, readFileBounded, readStreamBounded } from '../lib/read.js';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';

async function readStdin(ctx: Context, what: string, max: number): Promise<Buffer> {
  if (ctx.stdinIsTTY)
    throw new UsageError(`${what} is "-" (stdin), but stdin is a terminal`, {
      hint: `Pipe it in, or give a file path.`,
    });
  return readStreamBounded(ctx.io.stdin, max, `${what} (stdin)`);
}

function readPath(path: string, flag: string, max: number): Buffer {
  try {
    return readFileBounded(path, max, `${flag} ${path}`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`invalid ${flag}: cannot read ${path} (${code === 'ENOENT' ? 'no such file' : code})`);
  }
}

export function checkStdinUse(secretFile: string | undefined, payload: string | undefined): void {
  if (secretFile === '-' && payload === '-') {
    throw new UsageError('--secret-file and --payload cannot both read stdin', {
      hint: 'Put one of them in a file, or the secret in ANCHOR_WEBHOOK_SECRET.',
    });
  }
}

/**
 * The secret the user gave, from --secret-file or ANCHOR_WEBHOOK_SECRET; undefined when neither is
 * set. A file's one trailing newline is a file's, not the secret's, and is dropped; any other white
 * space is kept, so `verify` can point it out.
 */
export async function readGivenSecret(ctx: Context, secretFile: string | undefined): Promise<string | undefined> {
  let secret: string | undefined;
  if (secretFile === '') throw new UsageError('invalid --secret-file "": give a file path, or - for stdin');
  if (secretFile !== undefined) {
    const raw = (
      secretFile === '-'
        ? await readStdin(ctx, '--secret-file', MAX_SECRET_BYTES)
        : readPath(secretFile, '--secret-file', MAX_SECRET_BYTES)
    ).toString('utf8');
    secret = raw.replace(/\r?\n$/, '');
    if (!secret)
      throw new UsageError(`the secret file ${secretFile === '-' ? '(stdin)' : secretFile} is empty`, {
        hint: 'It must hold the webhook signing secret alone (a final newline is fine).',
      });
  } else {
    secret = ctx.env.ANCHOR_WEBHOOK_SECRET || undefined;
  }
  if (secret) {
    ctx.addSecret(secret);
    ctx.addSecret(secret.trim());
  }
  return secret;
}

/** Where `verify` and `sign` get their secret: they check a real delivery, so only the webhook's own will do. */
export const WEBHOOK_SECRET_HINT =
  'Pass --secret-file <path> (or - for stdin), or set ANCHOR_WEBHOOK_SECRET. It was shown once when the webhook was created; `anchor webhooks rotate-secret` mints a new one.';

/** --secret-file, else ANCHOR_WEBHOOK_SECRET; none is a usage error whose hint says where it comes from for this command. */
export async function readSecret(
  ctx: Context,
  secretFile: string | undefined,
  missingHint: string = WEBHOOK_SECRET_HINT,
): Promise<string> {
  const secret = await readGivenSecret(ctx, secretFile);
  if (!secret) throw new UsageError('no webhook signing secret', { hint: missingHint });
  return secret;
}

/** The raw bytes of a payload: a file, `-` for stdin, or stdin when it is piped and nothing is named. */
export async function readPayload(
  ctx: Context,
  payload: string | undefined,
  required: boolean,
): Promise<Buffer | undefined> {
  if (payload === '-') return readStdin(ctx, '--payload', MAX_PAYLOAD_BYTES);
  if (payload !== undefined) return readPath(payload, '--payload', MAX_PAYLOAD_BYTES);
  if (!required) return undefined;
  if (ctx.stdinIsTTY)
    throw new UsageError('missing --payload', {
      hint: 'Give the raw body: --payload body.json, or pipe it in with --payload -.',
    });
  return readStdin(ctx, '--payload', MAX_PAYLOAD_BYTES);
}

/** Unix seconds from `1716544084` or an ISO time; milliseconds are refused as the mistake they are. */
export function parseUnixTime(text: string, flag: string): number {
  if (/^\d+$/.test(text.trim())) {
    const n = Number(text.trim());
    if (n >= 1e12) {
      throw new UsageError(`invalid ${flag} "${text}": that is milliseconds; Anchor timestamps are Unix seconds`, {
        hint: `Use ${Math.floor(n / 1000)} (Math.floor(Date.now() / 1000)).`,
      });
    }
    return n;
  }
  const t = Date.parse(text);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(text.trim())) {
    throw new UsageError(
      `invalid ${flag} "${text}": give Unix seconds (1716544084) or an ISO time (2026-05-24T12:18:05Z)`,
    );
  }
  return Math.floor(t / 1000);
}
