// The parts of `anchor mcp` for agents that need no server: which tools a choice offers, which
// secret files a deleted webhook leaves behind, send_test_event's wait bounds, and the twin guard
// of create_webhook (with a scripted list of the project's webhooks).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../src/errors.js';
import { refuseTwin } from '../../src/mcp/create-guard.js';
import { removeSecretFiles, cleanupNote, PendingSecrets } from '../../src/mcp/secret-files.js';
import { prepareTestWait } from '../../src/mcp/test-wait.js';
import { selectTools } from '../../src/mcp/tool-selection.js';
import { buildTools } from '../../src/mcp/tools.js';
import type { ToolContext } from '../../src/mcp/tool-input.js';

const ALL = buildTools();
const names = (o: Parameters<typeof selectTools>[1]) => selectTools(ALL, o).map((t) => t.name);

describe('selectTools', () => {
  it('narrows to --tools, drops --exclude-tools, and keeps --read-only', () => {
    expect(names({ readOnly: false, tools: ['replay', 'list_webhooks'] })).toEqual(['list_webhooks', 'replay']);
    expect(names({ readOnly: false, excludeTools: ['replay'] })).toHaveLength(ALL.length - 1);
    expect(names({ readOnly: true, tools: ['list_webhooks'] })).toEqual(['list_webhooks']);
    expect(names({ readOnly: true })).not.toContain('trigger_event');
  });
  it('refuses what it cannot serve, as a usage error', () => {
    expect(() => names({ readOnly: true, tools: ['check_receiver'] })).toThrow(UsageError);
    expect(() => names({ readOnly: false, tools: ['replay'], excludeTools: ['replay'] })).toThrow(/both name replay/);
    expect(() => names({ readOnly: true, excludeTools: ALL.filter((t) => t.readOnly).map((t) => t.name) })).toThrow(
      /no tool is left/,
    );
  });
});

describe('removeSecretFiles', () => {
  it("removes the webhook's file and its rotations, and nothing of another id", () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-secrets-'));
    for (const name of [
      'wh_a.secret',
      'wh_a-1767225600000.secret',
      'wh_a-1.secret', // the create secret of webhook "wh_a-1", not a rotation of wh_a
      'wh_ab.secret',
      'pending-create-0011.secret',
    ])
      writeFileSync(join(dir, name), 'x', { mode: 0o600 });
    const done = removeSecretFiles(dir, 'wh_a');
    expect(done.removed.sort()).toEqual([join(dir, 'wh_a-1767225600000.secret'), join(dir, 'wh_a.secret')]);
    expect(readdirSync(dir).sort()).toEqual(['pending-create-0011.secret', 'wh_a-1.secret', 'wh_ab.secret']);
    expect(cleanupNote(done, dir)).toContain('Removed its secret file(s)');
  });
  it('names what it cannot remove (a link or a folder planted under the name) and leaves it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-secrets-'));
    symlinkSync('/etc/hostname', join(dir, 'wh_b.secret'));
    mkdirSync(join(dir, 'wh_b-1767225600000.secret'));
    const done = removeSecretFiles(dir, 'wh_b');
    expect(done.removed).toEqual([]);
    expect(done.kept.map((k) => k.why)).toEqual(['not a plain file', 'not a plain file']);
    expect(cleanupNote(done, dir)).toMatch(/No secret file of it.*Could not remove .*wh_b\.secret/);
    expect(readdirSync(dir)).toHaveLength(2);
    expect(removeSecretFiles(join(dir, 'none'), 'wh_b')).toEqual({ removed: [], kept: [] });
  });
  it('pending files are absolute under a relative folder', () => {
    expect(new PendingSecrets('rel').file('create').startsWith('/')).toBe(true);
  });
});

describe("send_test_event's wait", () => {
  it('defaults to 45 s with wait, is bounded, and needs wait', () => {
    expect(prepareTestWait({ id: 'wh_1', wait: true })).toMatchObject({ wait_timeout_seconds: 45 });
    expect(prepareTestWait({ id: 'wh_1' })).toEqual({ id: 'wh_1' });
    expect(prepareTestWait({ id: 'wh_1', wait: true, wait_timeout_seconds: 600 })).toMatchObject({
      wait_timeout_seconds: 600,
    });
    expect(prepareTestWait({ wait: true, wait_timeout_seconds: 601 })).toMatch(/at most 600/);
    expect(prepareTestWait({ wait: true, wait_timeout_seconds: 0 })).toMatch(/above 0/);
    expect(prepareTestWait({ wait_timeout_seconds: 5 })).toMatch(/goes with wait: true/);
  });
});

describe("create_webhook's twin guard", () => {
  const hooks = [
    { id: 'wh_1', url: 'https://Hooks.example.com:443/a', subscribed_events: ['task.failed', 'task.completed'] },
  ];
  const ctx = (list: unknown, fail = false): ToolContext => ({
    env: {},
    nowMs: 0,
    secretDir: '/tmp/none',
    run: async () => {
      if (fail) throw new Error('401');
      return list;
    },
  });
  it('refuses the same URL and events in any order or spelling, naming the webhook', async () => {
    const refused = await refuseTwin(
      { url: 'https://hooks.example.com/a', events: ['task.completed', 'task.failed,task.completed'] },
      ctx(hooks),
    );
    expect(refused).toMatch(/^not created: webhook wh_1 already sends task\.completed, task\.failed/);
    expect(refused).toContain('allow_duplicate: true');
  });
  it('lets a different set, allow_duplicate, or an unreadable list through', async () => {
    const args = { url: 'https://hooks.example.com/a', events: ['task.completed'] };
    expect(await refuseTwin(args, ctx(hooks))).toEqual(args);
    const twin = { url: 'https://hooks.example.com/a', events: ['task.completed', 'task.failed'] };
    expect(await refuseTwin({ ...twin, allow_duplicate: true }, ctx(hooks))).toMatchObject(twin);
    expect(await refuseTwin(twin, ctx(hooks, true))).toEqual(twin);
  });
});
