// `anchor completion bash|zsh|fish`: prints the completion script (also kept in completions/).
import type { Context } from '../context.js';
import type { RawInput } from '../program.js';
import { completionScript, type Shell } from '../completion/scripts.js';

export async function run(input: RawInput, ctx: Context): Promise<void> {
  ctx.out(completionScript(input.args[0] as Shell, input.root));
}
