// `anchor completion bash|zsh|fish`: prints the completion script (also kept in completions/). A
// script for a shell, not a result: it is printed as is, --json or not, and nothing is returned.
import { handler } from '../handler.js';
import { UsageError } from '../../errors.js';
import { buildProgram, type Dispatch } from '../../program.js';
import { completionScript, SHELLS } from '../../completion/scripts.js';
import { completionCommand } from './decl.js';

// The tree is built only to read its command names (the script's header), never to run one.
const runsNothing: Dispatch = () => {
  throw new Error('the tree of the completion script runs no command');
};

export default handler(completionCommand, async (_flags, [given], ctx): Promise<undefined> => {
  // commander checked the choice; a caller without commander (an in-process invoke) gets the same answer.
  const shell = SHELLS.find((s) => s === given);
  if (!shell)
    throw new UsageError(
      `command-argument value '${given}' is invalid for argument 'shell'. Allowed choices are ${SHELLS.join(', ')}.`,
    );
  const program = buildProgram(runsNothing, { writeOut: () => {}, writeErr: () => {} });
  ctx.out(completionScript(shell, program));
  return undefined;
});
