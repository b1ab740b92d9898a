// mode: start — `anchor webhooks listen <args> --json --ready-file …` left running in the background
// (its own process group, its output in files under RUNNER_TEMP), for a later step to start the task
// whose event it waits for. The step returns once listen accepts deliveries; its post stops it.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refuseOwnFlags, splitArgs } from './args.js';
import { ANCHOR_CLI, cliEnv, cliFailure, readStart, readTail } from './cli-process.js';
import {
  LISTENER_ENV,
  LISTENER_STATE,
  parseExit,
  type ListenerExit,
  type ListenerHandoff,
} from './listener-handoff.js';
import { ActionError, exportVariable, getInput, saveState, setOutput, type Env, type RunnerLog } from './runner.js';
import { describeMs, pollUntil, timeoutInput } from './timing.js';

/** A tunnel can take a while to come up and be proven; a listener on --register is up in a second. */
const DEFAULT_READY_TIMEOUT_MS = 2 * 60_000;

export const SUPERVISOR = join(import.meta.dirname, 'supervisor.cjs');

export async function startMode(env: Env, log: RunnerLog): Promise<void> {
  const words = splitArgs(getInput(env, 'args'));
  refuseOwnFlags(words, ['--ready-file'], 'start');
  if (words[0] === 'webhooks' || words[0] === 'listen')
    throw new ActionError(
      'mode start runs anchor webhooks listen itself: args are only its flags',
      'For example args: --tunnel cloudflared --until task.completed --match data.task_id=123',
    );
  const timeoutMs = timeoutInput(env, DEFAULT_READY_TIMEOUT_MS);
  const dir = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'anchor-listen-'));
  const files = {
    ready_file: join(dir, 'ready'),
    stdout_file: join(dir, 'stdout.json'),
    stderr_file: join(dir, 'stderr.log'),
    exit_file: join(dir, 'exit.json'),
  };
  const listenArgs = ['webhooks', 'listen', ...words, ...(words.includes('--json') ? [] : ['--json'])];
  const out = openSync(files.stdout_file, 'a', 0o600);
  const err = openSync(files.stderr_file, 'a', 0o600);
  let pid: number | undefined;
  try {
    // Detached, in a process group of its own and on files only: the runner waits for the step's
    // pipes to close, and would wait for listen too.
    const child = spawn(
      process.execPath,
      [SUPERVISOR, files.exit_file, ANCHOR_CLI, ...listenArgs, '--ready-file', files.ready_file],
      { env: cliEnv(env), stdio: ['ignore', out, err], detached: true },
    );
    pid = await new Promise<number>((resolve, reject) => {
      child.on('spawn', () => resolve(child.pid!));
      child.on('error', (e) => reject(new ActionError(`could not start anchor webhooks listen: ${e.message}`)));
    });
    child.unref();
  } finally {
    closeSync(out);
    closeSync(err);
  }
  const handoff: ListenerHandoff = { v: 1, pid, ...files };
  // Saved before waiting: whatever happens next, the post step finds the listener and stops it.
  saveState(env, LISTENER_STATE, JSON.stringify(handoff));

  const ready = await pollUntil<{ url: string } | { exit: ListenerExit }>(() => {
    const exit = parseExit(readStart(files.exit_file, 4096).text);
    if (exit) return { exit };
    const url = readStart(files.ready_file, 4096).text.trim();
    return url ? { url } : undefined;
  }, timeoutMs);
  const { text: said, end: shown } = readTail(files.stderr_file);
  if (said) log.err(said.endsWith('\n') ? said : `${said}\n`);
  if (!ready)
    throw new ActionError(
      `anchor webhooks listen was not ready within ${describeMs(timeoutMs)}; its output is above`,
      'Raise the timeout input if the tunnel is slow to start; the post step stops the listener.',
    );
  if ('exit' in ready) {
    const { exit } = ready;
    const failure = cliFailure(said);
    setOutput(env, 'exit-code', String(exit.code ?? 1));
    throw new ActionError(
      `anchor webhooks listen exited ${exit.code ?? exit.signal}: ${failure.message}`,
      failure.hint,
    );
  }
  exportVariable(env, LISTENER_ENV, JSON.stringify({ ...handoff, stderr_shown: shown }));
  setOutput(env, 'url', ready.url);
  log.out(`anchor webhooks listen is ready at ${ready.url} (pid ${pid}); a later step with mode: wait waits for it.\n`);
}
