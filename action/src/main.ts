// The action's main step (action/dist/main.cjs): masks the key before anything else is printed,
// then runs the mode. Every failure is one `::error::` line and exit code 1, never a stack trace.
import { ActionError, addMask, getInput, logError, processLog, type Env, type RunnerLog } from './runner.js';
import { runMode } from './run-mode.js';
import { startMode } from './start-mode.js';
import { waitMode } from './wait-mode.js';

const MODES = { run: runMode, start: startMode, wait: waitMode } as const;

export async function main(env: Env, log: RunnerLog): Promise<number> {
  const key = getInput(env, 'api-key');
  if (key) addMask(log, key);
  try {
    const mode = getInput(env, 'mode') || 'run';
    if (!Object.hasOwn(MODES, mode))
      throw new ActionError(
        `unknown mode "${mode.slice(0, 40)}": give run, start or wait`,
        'run: one anchor command; start: listen in the background; wait: until that listener has its event.',
      );
    await MODES[mode as keyof typeof MODES](env, log);
    return 0;
  } catch (e) {
    const known = e instanceof ActionError ? e : undefined;
    const message = known ? known.message : `unexpected error in the anchor action: ${(e as Error).message}`;
    logError(log, known?.hint ? `${message}\n${known.hint}` : message);
    return 1;
  }
}

void main(process.env, processLog).then((code) => {
  process.exitCode = code;
});
