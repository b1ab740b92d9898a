// A fresh project on an in-process emulator, and the environment that points anchor at it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let n = 0;
export function projectEnv(apiUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ANCHOR_API_URL: apiUrl,
    ANCHOR_API_KEY: `test-key-${process.pid}-${++n}-${Date.now()}`,
    ANCHOR_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'anchor-cfg-')),
    ...extra,
  };
}
