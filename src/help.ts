// The help fast path: built as a small CommonJS bundle (dist/help.cjs) that bin/ requires for a
// command line with a help flag, so `anchor --help` loads commander and the declarations only.
// Anything that is not plain help (a command's own option, a typo, a group without a subcommand)
// returns undefined and goes through main() as usual.
import { CommanderError } from 'commander';
import { commandWord, isPlainHelp } from './argv.js';
import { buildProgram, unknownCommandWord } from './program.js';

export function printHelp(argv: string[], writeOut: (s: string) => void): number | undefined {
  if (!isPlainHelp(argv)) return undefined;
  let out = '';
  const program = buildProgram(
    () => Promise.reject(new Error('help fast path reached an action')),
    { writeOut: (s) => (out += s), writeErr: () => {} },
    { only: commandWord(argv) ?? null },
  );
  if (unknownCommandWord(program, argv)) return undefined;
  try {
    program.parse(argv.length === 0 ? ['--help'] : argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError && e.code === 'commander.helpDisplayed') {
      writeOut(out);
      return 0;
    }
  }
  return undefined;
}
