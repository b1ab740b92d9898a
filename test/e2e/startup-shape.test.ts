// What the built binary loads at start, asserted from its structure (the benchmark times it): the
// entry's modules in one shared chunk, no child_process or http for commands that do not use them,
// and a command line that makes only its own command's declaration.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, isolatedEnv } from '../helpers/bin.js';

// A preload that writes, at exit, the Node built-ins and the dist/ files the process loaded.
const dir = mkdtempSync(join(tmpdir(), 'anchor-startup-'));
const preload = join(dir, 'loaded.cjs');
writeFileSync(
  preload,
  `process.on('exit', () => require('node:fs').writeSync(3, JSON.stringify(process.moduleLoadList)));\n`,
);

function loaded(args: string[]): Promise<{ builtins: string[]; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', preload, BIN, ...args], {
      env: isolatedEnv(),
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdio[3]!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const list = JSON.parse(out) as string[];
      resolve({ code, builtins: list.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)) });
    });
  });
}

const staticChunks = (file: string) =>
  [...readFileSync(join(ROOT, 'dist', file), 'utf8').matchAll(/from\s*"\.\/(chunks\/[^"]+)"/g)].map((m) => m[1]);

describe('startup shape of the built binary', () => {
  it('the entry loads one shared chunk: the modules every command line needs', () => {
    expect(staticChunks('cli.js')).toHaveLength(1);
  });

  it('events list loads neither child_process nor http (commander spawns only for subcommand files)', async () => {
    const r = await loaded(['events', 'list', '--json']);
    expect(r.code).toBe(0);
    expect(r.builtins).toContain('fs'); // the list is real
    expect(r.builtins).not.toContain('child_process');
    expect(r.builtins).not.toContain('http');
    // No start-up module imports node:fs as an ES module: Node's facade of fs reads every export,
    // and so loads the file streams (~5 ms on Node 20) that a command like this never uses.
    expect(r.builtins).not.toContain('internal/fs/streams');
  });

  it('a completion query for a flag value loads no http (it is loaded only to ask the API for ids)', async () => {
    const r = await loaded(['__complete', 'webhooks', 'create', '--event', 'task.']);
    expect(r.code).toBe(0);
    expect(r.builtins).not.toContain('http');
    expect(r.builtins).not.toContain('child_process');
  });
});
