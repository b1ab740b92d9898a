// Tool calls run in one process, each with its own context and captured streams: 30 calls in
// flight at once (verify_signature with a payload of its own on stdin, describe_event_type, a
// refused id) each get their own answer, through the SDK's client on an in-memory transport.
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectInMemory, type ToolResult as Result } from '../helpers/mcp-client.js';

describe('30 MCP tool calls at once', () => {
  it('each answers its own call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-mcp-parallel-'));
    const secret = 'whsec_parallel_0123456789abcdef';
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, secret, { mode: 0o600 });
    const env = { HOME: dir, ANCHOR_CONFIG_DIR: join(dir, 'config'), XDG_STATE_HOME: join(dir, 'state') };
    const mcp = await connectInMemory({ name: 'parallel', env, secretDir: join(dir, 'secrets'), readOnly: true });
    const call = mcp.call;
    try {
      const t = 1_716_544_084;
      const types = ['task.completed', 'task.failed', 'session.failed'];
      const calls = Array.from({ length: 30 }, (_, i) => {
        const body = JSON.stringify({ id: `evt_${i}`, n: i });
        const v1 = createHmac('sha256', secret).update(`v0:${t}:`).update(body).digest('hex');
        switch (i % 3) {
          case 0:
            return {
              expect: (r: Result) => expect(r.structuredContent).toMatchObject({ valid: true }),
              run: call('verify_signature', {
                payload: body,
                signature: `t=${t},v1=${v1}`,
                secret_file: secretFile,
                now: String(t),
              }),
            };
          case 1:
            // The signature of another call's body: this call's own payload must be the one checked.
            return {
              expect: (r: Result) => expect(r.structuredContent).toMatchObject({ valid: false }),
              run: call('verify_signature', {
                payload: `${body} `,
                signature: `t=${t},v1=${v1}`,
                secret_file: secretFile,
                now: String(t),
              }),
            };
          default:
            return i % 2
              ? {
                  expect: (r: Result) => expect(r.structuredContent).toMatchObject({ type: types[i % types.length] }),
                  run: call('describe_event_type', { event_type: types[i % types.length] }),
                }
              : {
                  expect: (r: Result) => {
                    expect(r.isError).toBe(true);
                    expect(r.content[0]!.text).toContain(`"-${i}" is not a webhook id`);
                  },
                  run: call('get_webhook', { id: `-${i}` }),
                };
        }
      });
      const results = await Promise.all(calls.map((c) => c.run));
      results.forEach((r, i) => calls[i]!.expect(r));
    } finally {
      await mcp.close();
    }
  });
});
