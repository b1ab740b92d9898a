// Parser table for `anchor doctor`: argv → the report its checks make of the API's answers, or the
// usage error, exit 2, with nothing sent (a mistyped --event is refused before the API is asked).
import { describe, expect } from 'vitest';
import { parserTable, usage } from '../helpers/parser-table.js';

const HOOK = {
  id: 'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y',
  project_id: 'prj_1',
  url: 'http://127.0.0.1:9/hooks',
  description: null,
  subscribed_events: ['task.completed'],
  enabled: true,
  created_at: null,
  updated_at: null,
};
const LIST: [string, string, { body: unknown }] = ['GET', '/v1/webhooks', { body: { webhooks: [] } }];

describe('doctor', () => {
  parserTable([
    {
      argv: ['doctor', '--json'],
      code: 0,
      api: [LIST],
      json: {
        ok: true,
        checks: [
          { id: 'key', ok: true },
          { id: 'api', ok: true },
          { id: 'clock', ok: true },
          { id: 'webhook_url', ok: true, skipped: true, detail: 'needs --webhook <id>' },
          { id: 'webhook_state', ok: true, skipped: true },
          { id: 'deliveries', ok: true, skipped: true },
          { id: 'secret', ok: true, skipped: true },
          { id: 'listener', ok: true, skipped: true, detail: 'no listen running' },
          { id: 'tunnel', ok: true, skipped: true },
          { id: 'app', ok: true, skipped: true, detail: expect.stringContaining('no delivery recorded yet') },
        ],
      },
    },
    {
      argv: ['doctor', '--webhook', HOOK.id, '--event', 'task.failed', '--json'],
      code: 6,
      api: [
        LIST,
        ['GET', `/v1/webhooks/${HOOK.id}`, { body: { ...HOOK, enabled: false } }],
        [
          'GET',
          `/v1/webhooks/${HOOK.id}/events?limit=20`,
          { body: { events: [], pagination: { limit: 20, offset: 0, total: 0 } } },
        ],
      ],
      json: {
        ok: false,
        checks: expect.arrayContaining([
          expect.objectContaining({
            id: 'webhook_url',
            ok: false,
            detail: expect.stringContaining('Anchor cannot deliver'),
          }),
          expect.objectContaining({
            id: 'webhook_state',
            ok: false,
            fix: `Run \`anchor webhooks enable ${HOOK.id}\`, then \`anchor webhooks update ${HOOK.id} --add-event task.failed\`.`,
          }),
          expect.objectContaining({ id: 'deliveries', skipped: true }),
        ]),
      },
      stderr: '2 checks failed: webhook_url, webhook_state',
    },
    {
      argv: ['doctor', '--json'],
      code: 6,
      api: [['GET', '/v1/webhooks', { status: 401, body: { error: 'unauthorized', message: 'invalid API key' } }]],
      json: { ok: false, checks: expect.arrayContaining([expect.objectContaining({ id: 'key', ok: false })]) },
    },
    {
      argv: ['doctor', '--json'],
      code: 6,
      api: [['GET', '/v1/webhooks', { status: 503, body: { message: 'down for maintenance' } }]],
      json: {
        ok: false,
        checks: expect.arrayContaining([
          expect.objectContaining({
            id: 'api',
            ok: false,
            detail: expect.stringContaining('503: down for maintenance'),
          }),
          expect.objectContaining({ id: 'key', skipped: true }),
        ]),
      },
    },
    usage(
      ['doctor', '--webhook', HOOK.id, '--event', 'task.complete'],
      /invalid --event "task.complete".*Did you mean "task.completed"/,
    ),
    usage(['doctor', '--event', 'task.completed'], '--event goes with --webhook'),
    usage(['doctor', '--webhook', ''], 'give a webhook id'),
    usage(['doctor', '--secret-file', '/nonexistent/anchor-secret'], '--secret-file'),
    usage(['doctor', 'extra'], 'too many arguments'),
  ]);
});
