// The post step of a start step (action/dist/post.cjs), run even when the job failed: stops the
// listener if it still runs (SIGINT, on which listen deletes its temporary webhook), SIGKILLs its
// process group when it does not end in time. Quiet and successful when there is nothing to do.
import { LISTENER_STATE, isRunning, parseExit, parseHandoff } from './listener-handoff.js';
import { readStart, readTail } from './cli-process.js';
import { ActionError, logWarning, processLog, type Env, type RunnerLog } from './runner.js';
import { pollUntil } from './timing.js';

/** Deleting the temporary webhook is one API request (with listen's retries): a few seconds. */
const STOP_GRACE_MS = 20_000;

export async function post(env: Env, log: RunnerLog): Promise<void> {
  const raw = env[`STATE_${LISTENER_STATE}`];
  if (!raw) return;
  const listener = parseHandoff(raw, `STATE_${LISTENER_STATE}`);
  const ended = () =>
    parseExit(readStart(listener.exit_file, 4096).text) ?? (isRunning(listener.pid) ? undefined : 'gone');
  if (ended()) return;
  const before = readTail(listener.stderr_file).end;
  log.out('Stopping anchor webhooks listen (it deletes its temporary webhook).\n');
  try {
    process.kill(listener.pid, 'SIGINT');
  } catch {
    return; // it ended between the check and the signal
  }
  const end = await pollUntil(ended, STOP_GRACE_MS, 100);
  const said = readTail(listener.stderr_file, before, 8 * 1024).text;
  if (said) log.err(said.endsWith('\n') ? said : `${said}\n`);
  if (end) return;
  // The supervisor leads the group: SIGKILL reaches it, listen and a tunnel listen started.
  try {
    process.kill(-listener.pid, 'SIGKILL');
  } catch {
    // Gone in the meantime.
  }
  logWarning(
    log,
    `anchor webhooks listen did not stop within ${STOP_GRACE_MS / 1000}s and was killed; its temporary webhook may remain: anchor webhooks list, then anchor webhooks delete <id>.`,
  );
}

post(process.env, processLog).then(
  () => undefined,
  (e: unknown) => {
    // A post that fails would fail a job whose work is done: a warning says it instead.
    logWarning(processLog, `the anchor action's cleanup: ${e instanceof ActionError ? e.message : String(e)}`);
  },
);
