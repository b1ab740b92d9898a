// `anchor mcp` from the built binary, driven by the SDK's client over stdio, against what a hostile
// API or a misled agent sends: ids from the API that are not file names (the secret stays in its
// folder, no file outside it or under it is replaced), ids that read as options (`-h`, `--edit`),
// replays of a refused record, and replays to an address that is not this machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { isolatedEnv, runBin, anchorCommandParams } from '../helpers/bin.js';
import { startBinListen } from '../helpers/listener.js';
import { sampleWebhook, startScriptServer, type ScriptServer } from '../helpers/script-server.js';

const SECRET = 'whsec_mcp_hostile_0123456789abcdef0123456789';

type Result = Awaited<ReturnType<Client['callTool']>> & {
  structuredContent?: Record<string, unknown>;
  content: Array<{ type: string; text?: string }>;
  isError?: boolean;
};
const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');

interface Session {
  call: (name: string, args?: Record<string, unknown>) => Promise<Result>;
  close: () => Promise<void>;
}

async function connect(env: Record<string, string>, secretDir: string): Promise<Session> {
  const transport = new StdioClientTransport({
    ...anchorCommandParams(['mcp', '--secret-dir', secretDir]),
    env,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'anchor-hostile-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    call: (name, args = {}) => client.callTool({ name, arguments: args }) as Promise<Result>,
    close: () => client.close(),
  };
}

/** A folder holding the secret folder and, beside it, `outside/` with a file a path escape would hit. */
function layout() {
  const root = mkdtempSync(join(tmpdir(), 'anchor-mcp-hostile-'));
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'x.secret'), 'precious');
  return { root, secretDir: join(root, 'secrets') };
}

describe('anchor mcp with ids from a hostile API', () => {
  let api: ScriptServer;
  beforeAll(async () => {
    api = await startScriptServer();
  });
  afterAll(async () => {
    await api.close();
  });
  const created = (id: string) => {
    // create_webhook first looks for a webhook with the same URL and events: there is none.
    api.expect('GET', '/v1/webhooks', { status: 200, body: { webhooks: [] } });
    api.expect('POST', '/v1/webhooks', {
      status: 201,
      body: { ...sampleWebhook, id, url: 'https://a.example.com/hooks', secret: SECRET },
    });
  };

  it('create_webhook answered with the id ../outside/x replaces no file outside the folder; the secret stays inside, and the error says so', async () => {
    const { root, secretDir } = layout();
    const s = await connect(isolatedEnv({ ANCHOR_API_URL: api.url, ANCHOR_API_KEY: 'hostile-key' }), secretDir);
    try {
      created('../outside/x');
      const r = await s.call('create_webhook', { url: 'https://a.example.com/hooks', events: ['task.completed'] });
      expect(r.isError).toBe(true);
      expect(readFileSync(join(root, 'outside', 'x.secret'), 'utf8')).toBe('precious');
      const kept = readdirSync(secretDir);
      expect(kept).toHaveLength(1);
      const path = join(secretDir, kept[0]!);
      expect(readFileSync(path, 'utf8')).toBe(SECRET);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(text(r)).toContain('created a webhook (do not call create_webhook again for it');
      expect(text(r)).toContain('the API answered with the id "../outside/x", which cannot name its secret file');
      expect(text(r)).toContain(`The signing secret is in ${path} (mode 0600) instead`);
      expect(r.structuredContent).toMatchObject({ secret_file: path });
      expect(JSON.stringify(r)).not.toContain(SECRET);
    } finally {
      await s.close();
    }
    expect(api.unexpected).toEqual([]);
  });

  it('create_webhook answered with an id whose file exists leaves that file alone', async () => {
    const { secretDir } = layout();
    mkdirSync(secretDir, { mode: 0o700 });
    writeFileSync(join(secretDir, 'wh_taken.secret'), 'the old secret', { mode: 0o600 });
    const s = await connect(isolatedEnv({ ANCHOR_API_URL: api.url, ANCHOR_API_KEY: 'hostile-key' }), secretDir);
    try {
      created('wh_taken');
      const r = await s.call('create_webhook', { url: 'https://a.example.com/hooks', events: ['task.completed'] });
      expect(r.isError).toBe(true);
      expect(readFileSync(join(secretDir, 'wh_taken.secret'), 'utf8')).toBe('the old secret');
      expect(text(r)).toContain('could not be made (EEXIST), and an existing file is never replaced');
      const pending = (r.structuredContent as { secret_file: string }).secret_file;
      expect(readFileSync(pending, 'utf8')).toBe(SECRET);
    } finally {
      await s.close();
    }
    expect(api.unexpected).toEqual([]);
  });

  it('an id that reads as an option (get_webhook "-h", list_deliveries "--all") is refused in the model\'s words, and nothing is sent', async () => {
    const { secretDir } = layout();
    const s = await connect(isolatedEnv({ ANCHOR_API_URL: api.url, ANCHOR_API_KEY: 'hostile-key' }), secretDir);
    const before = api.seen.length;
    try {
      const help = await s.call('get_webhook', { id: '-h' });
      expect(help.isError).toBe(true);
      // The schema refuses them first (the request's own check is test/mcp/tools.test.ts's).
      expect(text(help)).toContain('"-h" is not a webhook id (wh_…); take one from list_webhooks. at id');
      const all = await s.call('list_deliveries', { id: '--all' });
      expect(text(all)).toContain('"--all" is not a webhook id');
      const path = await s.call('delete_webhook', { id: '../x', confirm: true });
      expect(text(path)).toContain('"../x" is not a webhook id');
      const type = await s.call('describe_event_type', { event_type: '-h' });
      expect(type.isError).toBe(true);
      expect(text(type)).toContain('"-h" is not an Anchor event type');
    } finally {
      await s.close();
    }
    expect(api.seen.length).toBe(before);
  });
});

describe('anchor mcp replay over a record with a refused request', () => {
  let app: http.Server;
  let appPort: number;
  const got: Array<{ body: string; signature: string | undefined }> = [];
  let env: Record<string, string>;
  let verified: { id: string; event_id: string };
  let refused: { id: string };
  let s: Session;
  let marker: string;

  beforeAll(async () => {
    app = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ body: Buffer.concat(chunks).toString(), signature: req.headers['anchor-signature'] as string });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    appPort = (app.address() as AddressInfo).port;
    const root = mkdtempSync(join(tmpdir(), 'anchor-mcp-replay-'));
    marker = join(root, 'the-editor-ran');
    // An agent's `--edit` would run this through a shell.
    env = isolatedEnv({ ANCHOR_WEBHOOK_SECRET: SECRET, EDITOR: `touch ${marker}`, VISUAL: '' });
    const listen = await startBinListen(['--port', '0', '--forward-to', `http://127.0.0.1:${appPort}/hooks`], env);
    try {
      const trig = await runBin(['events', 'trigger', 'task.completed', '--forward-to', listen.url], { env });
      expect(trig.code).toBe(0);
      // A stranger's unsigned POST: recorded, refused.
      const forged = await fetch(listen.url, { method: 'POST', body: '{"id":"evt_forged","type":"task.completed"}' });
      expect(forged.status).toBeGreaterThanOrEqual(400);
      await forged.text();
    } finally {
      await listen.stop();
    }
    s = await connect(env, join(root, 'secrets'));
    const rows = (
      (await s.call('list_received')).structuredContent as {
        items: Array<{ id: string; verdict: string; event_id: string }>;
      }
    ).items;
    verified = rows.find((r) => r.verdict === 'ok')!;
    refused = rows.find((r) => r.verdict === 'refused')!;
    expect(verified).toBeDefined();
    expect(refused).toBeDefined();
    got.length = 0;
  });
  afterAll(async () => {
    await s.close();
    await new Promise<void>((r) => app.close(() => r()));
  });

  it('record_ids ["--edit", id] is refused: no editor runs, nothing is sent', async () => {
    const r = await s.call('replay', { record_ids: ['--edit', verified.id] });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain(
      '"--edit" is not a record id (rec_…, evt_…, a delivery id (a UUID)); take one from list_received. at record_ids[0]',
    );
    expect(existsSync(marker)).toBe(false);
    expect(got).toHaveLength(0);
  });

  it('a refused record is not replayed, even to a loopback to, and the tool says why', async () => {
    const r = await s.call('replay', { record_ids: [refused.id], to: `http://127.0.0.1:${appPort}/hooks` });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain(`refused record "${refused.id}": listen refused that request`);
    expect(text(r)).toContain('Only verified deliveries are replayed');
    const asReceived = await s.call('replay', {
      record_ids: [refused.id],
      to: `http://127.0.0.1:${appPort}/hooks`,
      as_received: true,
    });
    expect(asReceived.isError).toBe(true);
    expect(got).toHaveLength(0);
  });

  it('a to that is not this machine is refused (0.0.0.0, a public name), nothing is sent', async () => {
    for (const to of [`http://0.0.0.0:${appPort}/hooks`, 'https://collector.example.com/hooks']) {
      const r = await s.call('replay', { record_ids: [verified.id], to });
      expect(r.isError).toBe(true);
      expect(text(r)).toContain(`refused to "${to}": replay sends only to this machine`);
      const last = await s.call('replay', { last: 1, to });
      expect(last.isError).toBe(true);
    }
    expect(got).toHaveLength(0);
  });

  it('a verified record is replayed, re-signed, to its forward URL or a loopback to; an event id names its verified record', async () => {
    const byId = await s.call('replay', { record_ids: [verified.id] });
    expect(byId.isError).toBeFalsy();
    const byEvent = await s.call('replay', {
      record_ids: [verified.event_id],
      to: `http://localhost:${appPort}/hooks`,
    });
    expect(byEvent.isError, text(byEvent)).toBeFalsy();
    expect((byEvent.structuredContent as { items: Array<{ record_id: string }> }).items[0]!.record_id).toBe(
      verified.id,
    );
    expect(got).toHaveLength(2);
    for (const g of got) expect(g.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });
});
