// mode: wait — blocks until the listener a start step left running ends (listen --until exits on the
// matching event, or when its --wait-timeout runs out), within the `timeout` input; the matching
// envelope (listen --until --json prints it alone on stdout) is the `json` output.
import { MAX_OUTPUT_BYTES, cliFailure, outputTooLarge, readStart, readTail } from './cli-process.js';
import { LISTENER_ENV, isRunning, parseExit, parseHandoff, type ListenerExit } from './listener-handoff.js';
import { ActionError, setOutput, type Env, type RunnerLog } from './runner.js';
import { describeMs, pollUntil, timeoutInput } from './timing.js';

/** A little over listen's own default --wait-timeout (10m), so that listen's message is the one seen. */
const DEFAULT_WAIT_TIMEOUT_MS = 11 * 60_000;

export async function waitMode(env: Env, log: RunnerLog): Promise<void> {
  const raw = env[LISTENER_ENV];
  if (!raw)
    throw new ActionError(
      `mode wait has no listener to wait for: ${LISTENER_ENV} is not set`,
      'Put a step with mode: start (and --until in its args) earlier in the same job.',
    );
  const listener = parseHandoff(raw, LISTENER_ENV);
  const timeoutMs = timeoutInput(env, DEFAULT_WAIT_TIMEOUT_MS);
  const exitOf = () => parseExit(readStart(listener.exit_file, 4096).text);
  const end = await pollUntil<ListenerExit | 'gone'>(
    () => exitOf() ?? (isRunning(listener.pid) ? undefined : (exitOf() ?? 'gone')),
    timeoutMs,
    250,
  );
  const said = readTail(listener.stderr_file, listener.stderr_shown).text;
  if (said) log.err(said.endsWith('\n') ? said : `${said}\n`);
  if (end === undefined)
    throw new ActionError(
      `the listener did not end within ${describeMs(timeoutMs)} (the timeout input)`,
      'Pass --until (and --wait-timeout) in the start step, or raise this step’s timeout; the post step stops the listener.',
    );
  if (end === 'gone')
    throw new ActionError('the listener is gone without saying how it ended (was it killed?); its output is above');

  const code = end.code ?? 1;
  setOutput(env, 'exit-code', String(code));
  const stdout = readStart(listener.stdout_file, MAX_OUTPUT_BYTES);
  if (stdout.cut) throw outputTooLarge('the output of anchor webhooks listen');
  setOutput(env, 'json', stdout.text.trim());
  if (code !== 0) {
    const failure = cliFailure(said);
    throw new ActionError(`anchor webhooks listen exited ${end.code ?? end.signal}: ${failure.message}`, failure.hint);
  }
}
