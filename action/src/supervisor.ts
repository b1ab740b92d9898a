// The parent the start step leaves behind for `listen` (action/dist/supervisor.cjs): the step's own
// process must exit, and a process that is not your parent cannot learn your exit code. It runs
// listen as its child, passes SIGINT and SIGTERM on (listen deletes its temporary webhook on
// either), and writes listen's end to the exit file for the wait and post steps.
// argv: <exit file> <anchor.cjs> <listen's arguments…>
import { spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';

const [exitFile, cli, ...args] = process.argv.slice(2);

function recordExit(end: { code: number | null; signal: string | null; error?: string }): void {
  // Written whole then renamed: a reader never sees half of it.
  writeFileSync(`${exitFile}.tmp`, `${JSON.stringify(end)}\n`);
  renameSync(`${exitFile}.tmp`, exitFile!);
}

if (!exitFile || !cli) {
  process.stderr.write('supervisor.cjs is run by the action, with an exit file and the CLI to run\n');
  process.exitCode = 2;
} else {
  const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('error', (e) => {
    recordExit({ code: 1, signal: null, error: e.message });
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => recordExit({ code, signal }));
}
