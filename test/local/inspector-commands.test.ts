// The inspector's "Copy as curl" and "Copy as anchor verify", the very script the page runs:
// the commands they build, run by a real shell (and the real curl), send a stranger's body as
// bytes, never as a file to read or an option. The runs need curl on PATH (test/helpers/tools.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMAND_BUILDERS_JS } from '../../src/local/inspector-commands.js';
import { lacks } from '../helpers/tools.js';

interface Shown {
  headers: Record<string, string | string[]>;
  body?: string;
  body_base64?: string;
  forward?: { url: string };
}
const builders = new Function(`${COMMAND_BUILDERS_JS}; return { curlCommand, verifyCommand };`) as () => {
  curlCommand: (r: Shown) => string;
  verifyCommand: (r: Shown) => string;
};
const { curlCommand, verifyCommand } = builders();

/** A loopback app that keeps the bytes and headers of every request. */
let server: http.Server;
let url = '';
const got: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

/** Runs a command in a real shell (this process's server answers meanwhile); its exit code and stdout. */
function sh(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a copied curl command and returns what the app received from it. */
async function sentBy(command: string) {
  const before = got.length;
  const r = await sh(`${command} --silent --show-error --fail`);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(got).toHaveLength(before + 1);
  return got[before]!;
}

const privateFile = join(mkdtempSync(join(tmpdir(), 'anchor-curl-')), 'private.txt');
writeFileSync(privateFile, 'PRIVATE FILE CONTENT\n');

describe('Copy as curl', () => {
  it('puts a body of @<file> after --data-raw, not --data-binary (which reads the file)', () => {
    const cmd = curlCommand({
      headers: { 'content-type': 'application/json' },
      body: `@${privateFile}`,
      forward: { url },
    });
    expect(cmd).toBe(`curl -X POST '${url}' -H 'content-type: application/json' --data-raw '@${privateFile}'`);
  });

  it.skipIf(lacks('curl'))('run by the real curl, sends @<file>, quotes and $(…) as the bytes they are', async () => {
    for (const body of [`@${privateFile}`, `@-`, `'; touch /tmp/x; echo '`, '$(id) `id` \\n "q"', '--next', '']) {
      const sent = await sentBy(
        curlCommand({ headers: { 'content-type': 'application/json' }, body, forward: { url } }),
      );
      expect(sent.body.toString('utf8')).toBe(body);
      expect(sent.headers['content-type']).toBe('application/json');
    }
  });

  it.skipIf(lacks('curl'))('sends a body that is not UTF-8, or holds a NUL, through stdin, byte for byte', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x40, 0x2f, 0x0a, 0xc3]);
    const binary = await sentBy(curlCommand({ headers: {}, body_base64: bytes.toString('base64'), forward: { url } }));
    expect(binary.body).toEqual(bytes);
    const withNul = await sentBy(curlCommand({ headers: {}, body: '{"a":"\u0000é"}', forward: { url } }));
    expect(withNul.body.toString('utf8')).toBe('{"a":"\u0000é"}');
  });

  it('copies only header names a request can carry, and never one curl would read as @file', () => {
    const cmd = curlCommand({
      headers: { '@/etc/passwd': 'x', 'anchor-event': 'task.completed', host: 'h', 'content-length': '3' },
      body: '{}',
    });
    expect(cmd).toBe(
      "curl -X POST 'http://localhost:3000/webhooks/anchor' -H 'anchor-event: task.completed' --data-raw '{}'",
    );
  });
});

describe('Copy as anchor verify', () => {
  it('feeds the exact bytes to verify through stdin, also when they are not UTF-8', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0x41]);
    const cmd = verifyCommand({
      headers: { 'anchor-signature': 't=1,v1=ab', 'anchor-timestamp': '1' },
      body_base64: bytes.toString('base64'),
    });
    expect(cmd).toMatch(/^printf %s '\/wBB' \| base64 -d \| anchor webhooks verify --signature 't=1,v1=ab'/);
    const piped = await sh(cmd.slice(0, cmd.indexOf(' | anchor ')) + ' | od -An -tx1');
    expect(piped.stdout.trim()).toBe('ff 00 41');
  });
});
