// Starts a Python receiver of test/fixtures/receivers/ with Debian's /usr/bin/python3 (the
// `python3` first on PATH may be another interpreter, without Flask or FastAPI): the secret in its
// environment as an app's .env would give it, the form as its argument, the port read from its
// first line within a deadline, and the process ended on close.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Form } from './anchor-check.js';

export const PYTHON = '/usr/bin/python3';
export const PYTHON_APPS = {
  flask: fileURLToPath(new URL('../../fixtures/receivers/flask_app.py', import.meta.url)),
  fastapi: fileURLToPath(new URL('../../fixtures/receivers/fastapi_app.py', import.meta.url)),
} as const;

const START_DEADLINE_MS = 15_000;
const STOP_DEADLINE_MS = 5_000;

export interface PythonApp {
  origin: string;
  close: () => Promise<void>;
}

/** A form of one app only: Flask's naive receiver over json.dumps's defaults (no delivery verifies). */
export type PythonVariant = 'naive-dumps';

export function startPythonApp(
  app: keyof typeof PYTHON_APPS,
  form: Form | PythonVariant,
  secret: string,
): Promise<PythonApp> {
  const child = spawn(PYTHON, [PYTHON_APPS[app], form], {
    env: { ...process.env, ANCHOR_WEBHOOK_SECRET: secret, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Kept for the error message only: the last few KiB of what it said.
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4096)));
  // A worker that ends without closing (a failed hook) must not leave a Python server behind.
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', orphan);
      resolve();
    }),
  );
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let started = false;
    const fail = (why: string) => {
      if (started) return;
      started = true;
      clearTimeout(timer);
      void close().then(() => reject(new Error(`${app} (${form}) did not start: ${why}\n${stderr}`)));
    };
    const timer = setTimeout(() => fail(`no port within ${START_DEADLINE_MS} ms`), START_DEADLINE_MS);
    child.once('error', (e) => fail(e.message));
    child.once('exit', (code) => fail(`exited ${code}`));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const port = /^PORT (\d+)$/.exec(line)?.[1];
      if (!port) return fail(`first line was ${JSON.stringify(line)}`);
      if (started) return;
      started = true;
      clearTimeout(timer);
      resolve({ origin: `http://127.0.0.1:${port}`, close });
    });
  });
}
