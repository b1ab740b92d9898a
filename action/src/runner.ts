// The few lines of the GitHub Actions runner protocol the action needs, without @actions/core (the
// committed bundle carries no runtime dependency): inputs from INPUT_* variables, outputs, state and
// environment through the files the runner names, and workflow commands on stdout.
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

export type Env = Record<string, string | undefined>;

/** A failure that ends the step: its message becomes an `::error::` line, the step exits 1. */
export class ActionError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * An input as the runner passes it: `INPUT_` and the name upper-cased, spaces as underscores and
 * dashes kept (`api-key` is `INPUT_API-KEY`). Surrounding whitespace is dropped, as @actions/core does.
 */
export function getInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** Workflow command data: `%`, CR and LF are escaped, or a value could end the command early. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Writes workflow commands and log lines; stdout is what the runner reads commands from. */
export interface RunnerLog {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const processLog: RunnerLog = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Tells the runner to hide `secret` in every later log line (each line of it, as the runner masks per line). */
export function addMask(log: RunnerLog, secret: string): void {
  for (const line of secret.split(/\r?\n/)) if (line.trim()) log.out(`::add-mask::${escapeData(line)}\n`);
}

export function logError(log: RunnerLog, message: string): void {
  log.out(`::error::${escapeData(message)}\n`);
}

export function logWarning(log: RunnerLog, message: string): void {
  log.out(`::warning::${escapeData(message)}\n`);
}

/**
 * `name<<delimiter` then the value then the delimiter: the runner's format for a value that may span
 * lines. The delimiter is random and checked against the value, so no value can end it early and
 * smuggle in another name.
 */
function fileCommand(name: string, value: string): string {
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

function appendTo(env: Env, variable: 'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_ENV', name: string, value: string) {
  const file = env[variable];
  if (!file)
    throw new ActionError(
      `${variable} is not set, so the action cannot hand on "${name}"`,
      'Run this action as a step of a GitHub Actions job (runner 2.297 or newer sets it).',
    );
  appendFileSync(file, fileCommand(name, value));
}

/** A step output (`steps.<id>.outputs.<name>`). */
export const setOutput = (env: Env, name: string, value: string) => appendTo(env, 'GITHUB_OUTPUT', name, value);
/** Kept for this step's post, which gets it as `STATE_<name>`. */
export const saveState = (env: Env, name: string, value: string) => appendTo(env, 'GITHUB_STATE', name, value);
/** An environment variable for the job's later steps. */
export const exportVariable = (env: Env, name: string, value: string) => appendTo(env, 'GITHUB_ENV', name, value);
