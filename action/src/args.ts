// The `args` input as a command line: split the way a POSIX shell splits words (quotes and
// backslashes), with no expansion, so what a workflow writes is what anchor receives, and nothing
// in it is ever run by a shell.
import { ActionError } from './runner.js';

const ARGS_HINT =
  "Write args as you would on a shell line, e.g. --until task.completed --match 'data.task_id=123'; close every quote.";

export function splitArgs(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ActionError(`args has a ' that is never closed (at character ${i + 1})`, ARGS_HINT);
      word += line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new ActionError('args has a " that is never closed', ARGS_HINT);
        const d = line[i]!;
        if (d === '"') break;
        // Inside double quotes a backslash escapes only what a shell lets it escape.
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
          word += line[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new ActionError('args ends with a lone backslash', ARGS_HINT);
      // A backslash before a line break joins the lines, as in a shell.
      if (line[i + 1] !== '\n') word += line[i + 1];
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Refuses the flags the action itself passes, so a run never has two answers for one of them. */
export function refuseOwnFlags(words: readonly string[], own: readonly string[], mode: string): void {
  for (const flag of own) {
    if (words.some((w) => w === flag || w.startsWith(`${flag}=`)))
      throw new ActionError(
        `args must not contain ${flag}: mode ${mode} passes it itself`,
        `Remove ${flag} from args; read the step's outputs instead.`,
      );
  }
}
