// Parser tables driven through the real CLI in-process: each row is an argv and what must come of
// it, either the typed input made visible (a --dry-run's request, an offline command's output, or
// the one request a scripted API expects) or a usage error (its message, exit 2). The API is a
// script server on which any request a row did not expect fails the row, so a refused input is
// proven to be refused before anything is sent.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from './io.js';
import { startScriptServer, type Reply, type ScriptServer } from './script-server.js';

export interface ParserRow {
  argv: string[];
  code: number;
  /** The JSON document on stdout must match this (toMatchObject, or an asymmetric matcher). */
  json?: unknown;
  stdout?: string | RegExp;
  stderr?: string | RegExp;
  env?: Record<string, string>;
  /** stdin's whole text; without it stdin is empty (never left open). */
  stdin?: string;
  /** The requests this row may send, in order, each answered as given; any other fails it. */
  api?: Array<[method: string, path: string, reply: Reply]>;
}

/** A usage error: exit 2, the message on stderr, nothing sent. */
export const usage = (argv: string[], stderr: string | RegExp, more: Partial<ParserRow> = {}): ParserRow => ({
  argv,
  code: 2,
  stderr,
  ...more,
});

const matches = (text: string, want: string | RegExp) =>
  typeof want === 'string' ? expect(text).toContain(want) : expect(text).toMatch(want);

/** Registers one test per row in the current describe block. */
export function parserTable(rows: ParserRow[]): void {
  let api: ScriptServer;
  beforeAll(async () => {
    api = await startScriptServer();
  });
  afterAll(async () => {
    await api.close();
  });
  it.each(rows.map((row) => [row.argv.join(' '), row] as const))('%s', async (_label, row) => {
    api.seen.length = 0;
    api.unexpected.length = 0;
    for (const [method, path, reply] of row.api ?? []) api.expect(method, path, reply);
    // A fresh config and state folder per row: no row sees what another stored or recorded.
    const home = mkdtempSync(join(tmpdir(), 'anchor-parser-'));
    const r = await runCli(row.argv, {
      env: {
        ANCHOR_API_URL: api.url,
        ANCHOR_API_KEY: 'parser-table-key',
        ANCHOR_CONFIG_DIR: join(home, 'config'),
        ANCHOR_STATE_DIR: join(home, 'state'),
        ...row.env,
      },
      stdin: row.stdin ?? '',
    });
    const shown = `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
    expect(r.code, shown).toBe(row.code);
    if (row.stderr !== undefined) matches(r.stderr, row.stderr);
    if (row.stdout !== undefined) matches(r.stdout, row.stdout);
    if (row.json !== undefined) {
      expect(() => JSON.parse(r.stdout) as unknown, shown).not.toThrow();
      const asymmetric = typeof (row.json as { asymmetricMatch?: unknown }).asymmetricMatch === 'function';
      if (asymmetric) expect(JSON.parse(r.stdout), shown).toEqual(row.json);
      else expect(JSON.parse(r.stdout), shown).toMatchObject(row.json as object);
    }
    if (row.code === 2) expect(r.stderr, 'a usage error is no crash').not.toMatch(/this is a bug|\n\s+at /);
    expect(api.unexpected, 'requests nobody expected').toEqual([]);
    expect(api.pending(), 'expected requests never sent').toEqual([]);
  });
}
