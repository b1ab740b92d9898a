// vitest globalSetup: the suite's temporary files (config folders, homes, records, secrets, TLS
// keys, browser profiles) go under one folder made for this run and removed after it, so a run
// leaves nothing in the system's temp folder. Workers and the processes they spawn inherit TMPDIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  // vitest runs a globalSetup once per project: the first one makes the folder, the others use it
  // (nested folders made Chromium's socket path longer than Unix allows).
  if (process.env.ANCHOR_SUITE_TMPDIR) return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'anchor-suite-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  process.env.ANCHOR_SUITE_TMPDIR = dir;
  return () => {
    delete process.env.ANCHOR_SUITE_TMPDIR;
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}
