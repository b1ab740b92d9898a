// A command that answers and then fails (a test event whose delivery failed: exit 6 on the command
// line) is a tool error that still carries its data, and `verify_signature`'s "invalid" stays an
// answer: both through the SDK's client, the handlers called in process, against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { connectInMemory } from '../helpers/mcp-client.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';

describe('a tool whose command answers, then fails', () => {
  let emu: RunningEmulator;
  let app: Server;
  let appUrl: string;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, host: '127.0.0.1', allowLocalTargets: true, retryDelaysMs: [] });
    // An app that refuses every delivery.
    app = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(500).end('no'));
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    await emu.close();
    await new Promise((resolve) => app.close(resolve));
  });

  it('send_test_event with wait: the failed delivery is an error, with the delivery in its data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-mcp-failed-'));
    const env = {
      HOME: dir,
      ANCHOR_CONFIG_DIR: join(dir, 'config'),
      XDG_STATE_HOME: join(dir, 'state'),
      ANCHOR_API_URL: emu.url,
      ANCHOR_API_KEY: 'mcp-failed-answer-key',
      ANCHOR_ALLOW_LOCAL_TARGETS: '1',
    };
    const mcp = await connectInMemory({ name: 'failed-answer', env, secretDir: join(dir, 'secrets'), readOnly: false });
    const call = mcp.call;
    try {
      const created = await call('create_webhook', { url: appUrl, events: ['task.completed'] });
      expect(created.isError, JSON.stringify(created)).toBeFalsy();
      const id = (created.structuredContent as { id: string }).id;
      const tested = await call('send_test_event', {
        id,
        event_type: 'task.completed',
        wait: true,
        wait_timeout_seconds: 20,
      });
      expect(tested.isError, JSON.stringify(tested)).toBe(true);
      expect(tested.structuredContent).toMatchObject({ event_type: 'task.completed', delivery: { status: 'dead' } });
      expect(tested.content[0]!.text).toMatch(/failed|500/);
    } finally {
      await mcp.close();
    }
  });
});
