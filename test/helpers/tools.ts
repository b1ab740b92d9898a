// The tools from outside npm that some tests drive: a real terminal (tmux), real shells, jq,
// openssl, curl, the OpenSSH client (listen --tunnel ssh), Debian's Chromium, and Debian's Python with Flask, FastAPI and uvicorn (the
// journey suite's Python receivers). `npm test` installs them only where that needs no password
// (scripts/test-deps.sh); elsewhere a test that needs a missing one is skipped, and the run says
// so in one line (global-tools.ts). With CI set, a missing tool fails the run instead.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Tool =
  'tmux' | 'jq' | 'openssl' | 'curl' | 'zsh' | 'fish' | 'bash-completion' | 'chromium' | 'python-frameworks' | 'ssh';
export const TOOLS: readonly Tool[] = [
  'tmux',
  'jq',
  'openssl',
  'curl',
  'zsh',
  'fish',
  'bash-completion',
  'chromium',
  'python-frameworks',
  'ssh',
];

/** The Debian packages that bring a tool, where its name is not one. */
export const PACKAGES: Partial<Record<Tool, string>> = {
  'python-frameworks': 'python3-flask python3-fastapi python3-uvicorn',
  ssh: 'openssh-client',
};

/** Tools that are files at a known place rather than commands on PATH. */
const FILES: Partial<Record<Tool, string>> = {
  'bash-completion': '/usr/share/bash-completion/bash_completion',
  chromium: '/usr/bin/chromium',
};

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // Not in this folder.
    }
  }
  return false;
}

/** Debian's interpreter (not the first python3 on PATH, maybe a pyenv shim) imports all three. */
function pythonFrameworks(): boolean {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import flask, fastapi, uvicorn'], {
    stdio: 'ignore',
    timeout: 20_000,
  });
  return r.status === 0;
}

const cache = new Map<Tool, boolean>();
function present(tool: Tool): boolean {
  let known = cache.get(tool);
  if (known === undefined) {
    const file = FILES[tool];
    known = tool === 'python-frameworks' ? pythonFrameworks() : file ? existsSync(file) : onPath(tool);
    cache.set(tool, known);
  }
  return known;
}

export function missingTools(tools: readonly Tool[] = TOOLS): Tool[] {
  return tools.filter((t) => !present(t));
}

/** For `describe.skipIf(lacks('tmux'))`: true when any of the tools is missing (never under CI). */
export function lacks(...tools: Tool[]): boolean {
  return missingTools(tools).length > 0;
}
