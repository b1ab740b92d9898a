// The event catalog: one list, the same in `events list`, validation, prompts and the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { EVENT_CATALOG, EVENT_TYPES, ENTITIES } from '../../../src/core/events.js';
import { exampleData, eventText } from '../../../src/core/event-examples.js';
import { startCheckedEmulator, type CheckedEmulator } from '../../helpers/checked-emulator.js';
import { OPENAPI_PATH } from '../../helpers/openapi.js';
import { runCli } from '../../helpers/io.js';
import { projectEnv } from '../../helpers/env.js';

let emu: CheckedEmulator;
beforeAll(async () => {
  emu = await startCheckedEmulator();
});
afterAll(async () => {
  expect(emu.violations).toEqual([]);
  await emu.close();
});

describe('events list', () => {
  it('--json lists the 14 types of the catalog, and they are the OpenAPI enum', async () => {
    const r = await runCli(['events', 'list', '--json']);
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as Array<{ type: string; entity: string; description: string }>;
    expect(listed.map((e) => e.type)).toEqual(EVENT_TYPES);
    expect(listed).toHaveLength(14);
    for (const e of listed) expect(Object.keys(e).sort()).toEqual(['description', 'entity', 'type']);
    const spec = parse(readFileSync(OPENAPI_PATH, 'utf8')) as {
      components: { schemas: { WebhookEventType: { enum: string[] } } };
    };
    expect([...EVENT_TYPES].sort()).toEqual([...spec.components.schemas.WebhookEventType.enum].sort());
  });

  it('a terminal gets the types grouped by entity', async () => {
    const r = await runCli(['events', 'list'], { tty: true, env: { NO_COLOR: '1' } });
    const order = ENTITIES.map((e) => r.stdout.indexOf(`${e}\n`));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(r.stdout).toContain('session.ready');
  });

  it('the emulator and the CLI validation accept exactly the catalog', async () => {
    const env = projectEnv(emu.url);
    const all = await runCli(
      ['webhooks', 'create', '--url', 'https://e.example.com/', '--event', EVENT_TYPES.join(','), '--json'],
      { env },
    );
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).subscribed_events).toEqual(EVENT_TYPES);
    for (const bogus of ['task.started', 'session.ready.now', 'TASK.COMPLETED']) {
      const cli = await runCli(['webhooks', 'create', '--url', 'https://e.example.com/', '--event', bogus], { env });
      expect(cli.code).toBe(2);
      const api = await fetch(`${emu.url}/v1/webhooks`, {
        method: 'POST',
        headers: { 'anchor-api-key': env.ANCHOR_API_KEY!, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://e.example.com/', subscribed_events: [bogus] }),
      });
      expect(api.status).toBe(400);
    }
  });
});

describe('events show', () => {
  it.each(EVENT_TYPES)('%s: when it fires, its data fields and an example envelope', async (type) => {
    const r = await runCli(['events', 'show', type, '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    const info = EVENT_CATALOG.find((e) => e.type === type)!;
    expect(body).toMatchObject({ type, entity: info.entity, description: info.description });
    expect(Object.keys(body.example).sort()).toEqual(['created', 'data', 'id', 'project_id', 'text', 'type']);
    expect(body.example.type).toBe(type);
    expect(body.example.text).toBe(eventText(type, body.example.data));
    expect(Object.keys(body.example.data).length).toBeGreaterThan(2);
    expect(body.fields.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(Object.keys(body.example.data)),
    );
    for (const f of body.fields) expect(f.description, `${type} ${f.name}`).not.toBe('');
    const human = await runCli(['events', 'show', type]);
    expect(human.stdout).toContain('data fields');
    expect(human.stdout).toContain('Example envelope');
  });

  it('carries the fields the docs name', () => {
    const now = new Date();
    expect(exampleData('task.completed', { now })).toMatchObject({
      artifacts: expect.any(Array),
      recording_url: expect.any(String),
      session_dashboard_url: expect.any(String),
    });
    expect(exampleData('task.failed', { now })).toMatchObject({ error: { type: 'automation_failure' }, artifacts: [] });
    expect(exampleData('task.healed', { now })).toHaveProperty('healed_task_version_id');
    expect(exampleData('session.completed', { now })).toMatchObject({
      usage: { proxy_bytes: expect.any(Number), network_bytes_total: expect.any(Number) },
    });
  });

  it('an unknown type gets "did you mean" and exit 2', async () => {
    const r = await runCli(['events', 'show', 'task.complete']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Did you mean "task.completed"');
  });
});
