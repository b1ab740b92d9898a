// mode: run — one anchor command line with --json: its stdout is the `json` output (the plan of
// `apply --dry-run`, a webhook, a list), its exit code `exit-code`; a non-zero exit fails the step.
import { spawn } from 'node:child_process';
import { splitArgs } from './args.js';
import { ANCHOR_CLI, LineSplitter, MAX_OUTPUT_BYTES, Tail, cliEnv, cliFailure, outputTooLarge } from './cli-process.js';
import { ActionError, getInput, setOutput, type Env, type RunnerLog } from './runner.js';
import { describeMs, timeoutInput } from './timing.js';

const DEFAULT_RUN_TIMEOUT_MS = 10 * 60_000;
/** After SIGINT at the deadline, how long anchor gets to finish what it was doing. */
const STOP_GRACE_MS = 10_000;

export async function runMode(env: Env, log: RunnerLog): Promise<void> {
  // `args: anchor webhooks list` reads naturally: the program's own name is not a command word.
  const given = splitArgs(getInput(env, 'args'));
  const words = given[0] === 'anchor' ? given.slice(1) : given;
  if (words.length === 0)
    throw new ActionError(
      'mode run needs args: the anchor command line',
      'For example args: webhooks apply -f anchor.yaml --dry-run',
    );
  const timeoutMs = timeoutInput(env, DEFAULT_RUN_TIMEOUT_MS);
  // The command's words (webhooks received show), for messages: not its ids, values or flags.
  const commandWords: string[] = [];
  for (const w of words.slice(0, 3)) {
    if (!/^[a-z][a-z-]*$/.test(w)) break;
    commandWords.push(w);
  }
  const command = commandWords.join(' ');
  const argv = words.includes('--json') ? words : [...words, '--json'];

  const child = spawn(process.execPath, [ANCHOR_CLI, ...argv], {
    env: cliEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = Buffer.alloc(0);
  let tooLarge = false;
  child.stdout.on('data', (d: Buffer) => {
    if (stdout.length + d.length > MAX_OUTPUT_BYTES) tooLarge = true;
    else stdout = Buffer.concat([stdout, d]);
  });
  const stderr = new Tail();
  // anchor's messages go to the log as they come (the runner masks the key in them). Under
  // GITHUB_ACTIONS, anchor announces a secret it prints (create, rotate-secret) with ::add-mask:: on
  // stderr when --json keeps stdout for the document: that line goes to the runner as a command.
  const lines = new LineSplitter((line) => (line.startsWith('::add-mask::') ? log.out(line) : log.err(line)));
  child.stderr.on('data', (d: Buffer) => {
    stderr.push(d);
    lines.push(d);
  });
  child.stderr.on('end', () => lines.end());
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS).unref();
  }, timeoutMs);
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', (e) => reject(new ActionError(`could not run anchor: ${e.message}`)));
    child.on('close', (c, signal) => resolve(c ?? (signal === 'SIGKILL' ? 137 : 130)));
  }).finally(() => clearTimeout(timer));

  setOutput(env, 'exit-code', String(code));
  if (tooLarge) throw outputTooLarge(`the --json output of anchor ${command}`);
  setOutput(env, 'json', stdout.toString('utf8').trim());
  if (timedOut)
    throw new ActionError(
      `anchor ${command} did not finish within ${describeMs(timeoutMs)} and was stopped`,
      'Raise the timeout input, or pass a smaller --timeout to anchor for each request.',
    );
  if (code !== 0) {
    const failure = cliFailure(stderr.text());
    throw new ActionError(`anchor ${command} exited ${code}: ${failure.message}`, failure.hint);
  }
}
