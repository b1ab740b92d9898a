// The help fast path: built as a small CommonJS bundle (dist/help.cjs) that bin/ requires for a
// command line with a help flag, so `anchor --help` loads commander and the declarations only.
// Anything that is not plain help (a command's own option, a typo, a group without a subcommand)
// returns undefined and goes through main() as usual.
import { CommanderError } from 'commander';
import { commandWord, isPlainHelp } from './argv.js';
import { buildProgram, unknownCommandWord } from './program.js';

/**
 * `columns`: the terminal's width (undefined on a pipe: 80). Help is written without colour, so
 * commander need not ask the stream (making process.stdout costs a start ~5 ms).
 */
export function printHelp(argv: string[], writeOut: (s: string) => void, columns?: number): number | undefined {
  if (!isPlainHelp(argv)) return undefined;
  let out = '';
  const program = buildProgram(
    () => Promise.reject(new Error('help fast path reached an action')),
    { writeOut: (s) => (out += s), writeErr: () => {}, terminal: { columns, colors: false } },
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
