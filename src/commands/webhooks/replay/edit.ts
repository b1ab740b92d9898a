// `replay --edit`: the user's editor on a recorded body; what they save is what is signed and sent.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from '../../../context.js';
import { UsageError } from '../../../errors.js';
import type { RecordedRequest } from '../../../local/record.js';
import { fileForId } from '../../../lib/safe-name.js';

/** Opens $VISUAL or $EDITOR on a body; what was saved is what is sent. */
export function editBody(ctx: Context, r: RecordedRequest, body: Buffer): Buffer {
  const editor = ctx.env.VISUAL || ctx.env.EDITOR;
  if (!editor) throw new UsageError('--edit needs $VISUAL or $EDITOR set to your editor');
  const dir = mkdtempSync(join(tmpdir(), 'anchor-replay-'));
  // The record's id names the file the editor shows, when it is a safe file name (a record is read from disk).
  const file = fileForId(dir, r.id, '.json') ?? join(dir, 'body.json');
  try {
    writeFileSync(file, body, { mode: 0o600 });
    // Through sh, so that an editor with arguments (`code -w`) works; the path is an argument, not code.
    const res = spawnSync('sh', ['-c', `${editor} "$1"`, 'anchor-edit', file], { stdio: 'inherit', env: ctx.env });
    if (res.status !== 0)
      throw new UsageError(
        `the editor (${editor}) exited with ${res.status ?? res.signal}; nothing was sent for ${r.id}`,
      );
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
