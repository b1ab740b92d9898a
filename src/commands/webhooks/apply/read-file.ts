// Reading the apply file `-f` names, or stdin for `-f -`: bounded, and a file that cannot be read
// is the user's mistake (a usage error), said with the path.
import type { Context } from '../../../context.js';
import { CliError, UsageError } from '../../../errors.js';
import { readFileBounded, readStreamBounded } from '../../../lib/read.js';

/** An apply file is small; this bounds what `-f /dev/zero` or an endless pipe can cost. */
const MAX_FILE_BYTES = 1024 * 1024;

/** The file's text, and the name its problems are reported under (`<stdin>` for `-f -`). */
export async function readApplyFile(ctx: Context, file: string): Promise<{ text: string; name: string }> {
  if (file === '-') {
    if (ctx.stdinIsTTY)
      throw new UsageError('-f - reads the file from stdin, but stdin is a terminal', {
        hint: 'Pipe the file in (anchor webhooks export | anchor webhooks apply -f -), or give its path.',
      });
    const bytes = await readStreamBounded(ctx.io.stdin, MAX_FILE_BYTES, 'the apply file on stdin');
    return { text: bytes.toString('utf8'), name: '<stdin>' };
  }
  try {
    return { text: readFileBounded(file, MAX_FILE_BYTES, `the apply file ${file}`).toString('utf8'), name: file };
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the apply file ${file} (${code ?? (e as Error).message})`, {
      hint:
        code === 'ENOENT' ? 'Check the path; `anchor webhooks export > FILE` writes one from the project.' : undefined,
    });
  }
}
