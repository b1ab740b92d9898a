// Runs the committed action (action/dist/main.cjs, then post.cjs) the way the GitHub runner does:
// inputs as INPUT_* variables (the dash of api-key kept), GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV
// as files, RUNNER_TEMP, and for the post the saved state as STATE_<name>. Reads those files back
// with the runner's own format, so a value that would break it shows here.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, isolatedEnv } from '../helpers/bin.js';

export const ACTION_DIST = join(ROOT, 'action', 'dist');

/** One job: its runner files, and the environment every step of it starts from. */
export interface Job {
  env: Record<string, string>;
  outputFile: string;
  stateFile: string;
  envFile: string;
}

export function newJob(extra: Record<string, string> = {}): Job {
  const dir = mkdtempSync(join(tmpdir(), 'anchor-action-job-'));
  const temp = join(dir, 'runner-temp');
  mkdirSync(temp);
  const files = { outputFile: join(dir, 'output'), stateFile: join(dir, 'state'), envFile: join(dir, 'env') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  return {
    ...files,
    env: {
      ...isolatedEnv(extra),
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      RUNNER_TEMP: temp,
    },
  };
}

/**
 * `name<<delimiter` … `delimiter` and `name=value` lines, as the runner reads them; a later value
 * of a name wins. A delimiter that never closes fails the test, as it fails the runner.
 */
export function readFileCommands(path: string): Record<string, string> {
  const lines = readFileSync(path, 'utf8').split('\n');
  const values: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) throw new Error(`${path}: ${heredoc[1]} is never closed by ${heredoc[2]}`);
      values[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else {
      const eq = line.indexOf('=');
      if (eq < 0) throw new Error(`${path}: a line the runner cannot read: ${line}`);
      values[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return values;
}

export interface StepResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** This step's outputs (GITHUB_OUTPUT is a new file for every step). */
  outputs: Record<string, string>;
}

export interface StepOptions {
  inputs?: Record<string, string>;
  /** Extra environment of this step (e.g. what earlier steps put in GITHUB_ENV). */
  env?: Record<string, string>;
  deadlineMs?: number;
  /** The step's working folder (the checkout), else this process's. */
  cwd?: string;
}

/** Runs `main` or `post` of the action as one step of `job`; the runner's 'INPUT_' names are built here. */
export function runStep(job: Job, script: 'main' | 'post', options: StepOptions = {}): Promise<StepResult> {
  writeFileSync(job.outputFile, '');
  const env: Record<string, string> = {
    ...job.env,
    GITHUB_OUTPUT: job.outputFile,
    GITHUB_STATE: job.stateFile,
    GITHUB_ENV: job.envFile,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs ?? {}))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ACTION_DIST, `${script}.cjs`)], {
      env,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = options.deadlineMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the ${script} step did not end within ${deadline} ms:\n${stdout}\n${stderr}`));
    }, deadline);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, outputs: readFileCommands(job.outputFile) });
    });
  });
}

/** The post step as the runner runs it: each name the main step saved, as STATE_<name>. */
export function runPost(job: Job, options: StepOptions = {}): Promise<StepResult> {
  const state = Object.fromEntries(Object.entries(readFileCommands(job.stateFile)).map(([k, v]) => [`STATE_${k}`, v]));
  return runStep(job, 'post', { ...options, env: { ...state, ...options.env } });
}

/** What the steps so far put in GITHUB_ENV: the environment of the next step. */
export const jobEnv = (job: Job): Record<string, string> => readFileCommands(job.envFile);
