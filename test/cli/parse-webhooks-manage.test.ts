// Parser tables for the webhooks a project manages: create, list, get, update, enable, disable,
// delete, rotate-secret, test and deliveries. argv → the request it makes (--dry-run, or the one
// the scripted API expects), or the usage error, exit 2, with nothing sent.
import { describe } from 'vitest';
import { parserTable, usage } from '../helpers/parser-table.js';
import { sampleWebhook } from '../helpers/script-server.js';

const ID = sampleWebhook.id;
const HOOK = `/v1/webhooks/${ID}`;

describe('webhooks create', () => {
  parserTable([
    {
      argv: [
        'webhooks',
        'create',
        '--url',
        'https://e.example.com/h',
        '--event',
        'task.completed',
        '--dry-run',
        '--json',
      ],
      code: 0,
      json: {
        method: 'POST',
        body: { url: 'https://e.example.com/h', subscribed_events: ['task.completed'] },
        headers: { 'anchor-api-key': '[REDACTED]' },
      },
    },
    {
      argv: [
        'webhooks',
        'create',
        '--url',
        'https://e.example.com/h',
        '--event',
        'task.completed,task.failed',
        '--event',
        'session.failed',
        '--description',
        'ops',
        '--dry-run',
        '--json',
      ],
      code: 0,
      json: { body: { subscribed_events: ['task.completed', 'task.failed', 'session.failed'], description: 'ops' } },
    },
    {
      argv: [
        'webhooks',
        'create',
        '--url',
        'http://localhost:3000/h',
        '--event',
        'task.completed',
        '--allow-local-targets',
        '--dry-run',
        '--json',
      ],
      code: 0,
      json: { body: { url: 'http://localhost:3000/h' } },
    },
    usage(['webhooks', 'create', '--event', 'task.completed'], 'missing --url'),
    usage(['webhooks', 'create', '--url', 'https://e.example.com/h'], 'missing --event'),
    usage(
      ['webhooks', 'create', '--url', 'http://e.example.com/h', '--event', 'task.completed'],
      'invalid --url: the URL must use https:// (got http://)',
    ),
    usage(['webhooks', 'create', '--url', 'https://10.0.0.1/h', '--event', 'task.completed'], 'invalid --url'),
    usage(
      ['webhooks', 'create', '--url', 'https://e.example.com/h', '--event', 'nope.event'],
      'invalid --event "nope.event": not an Anchor event type.',
    ),
    usage(
      [
        'webhooks',
        'create',
        '--url',
        'https://e.example.com/h',
        '--event',
        'task.completed',
        '--description',
        'd'.repeat(257),
      ],
      'the description is 257 characters long; at most 256 are allowed',
    ),
    usage(
      ['webhooks', 'create', '--url', 'https://e.example.com/h', '--event', 'task.completed', '--secret-file', ''],
      'invalid --secret-file "": give a file path',
    ),
    usage(['webhooks', 'create', '--bogus'], "unknown option '--bogus'"),
  ]);
});

describe('webhooks list and get', () => {
  parserTable([
    {
      argv: ['webhooks', 'list', '--json'],
      code: 0,
      json: [],
      api: [['GET', '/v1/webhooks', { body: { webhooks: [] } }]],
    },
    {
      argv: ['webhooks', 'ls', '--json'],
      code: 0,
      json: [],
      api: [['GET', '/v1/webhooks', { body: { webhooks: [] } }]],
    },
    {
      argv: ['webhooks', 'get', ID, '--json'],
      code: 0,
      json: { id: ID },
      api: [['GET', HOOK, { body: sampleWebhook }]],
    },
    usage(['webhooks', 'list', 'extra'], "too many arguments for 'list'. Expected 0 arguments but got 1."),
    usage(['webhooks', 'get'], 'pass the webhook id instead'),
    usage(['webhooks', 'get', 'a', 'b'], "too many arguments for 'get'"),
  ]);
});

describe('webhooks update, enable, disable', () => {
  const current: [string, string, { body: unknown }] = ['GET', HOOK, { body: sampleWebhook }];
  parserTable([
    {
      argv: [
        'webhooks',
        'update',
        ID,
        '--url',
        'https://x.example.com/',
        '--no-description',
        '--disable',
        '--dry-run',
        '--json',
      ],
      code: 0,
      json: { method: 'PATCH', body: { url: 'https://x.example.com/', description: null, enabled: false } },
      api: [current],
    },
    {
      argv: ['webhooks', 'update', ID, '--add-event', 'task.failed', '--dry-run', '--json'],
      code: 0,
      json: { body: { subscribed_events: ['task.completed', 'task.failed'] } },
      api: [current],
    },
    {
      argv: ['webhooks', 'update', ID, '--event', 'session.failed', '--dry-run', '--json'],
      code: 0,
      json: { body: { subscribed_events: ['session.failed'] } },
      api: [current],
    },
    {
      argv: ['webhooks', 'disable', ID, '--dry-run', '--json'],
      code: 0,
      json: { body: { enabled: false } },
      api: [current],
    },
    {
      argv: ['webhooks', 'enable', ID, '--dry-run', '--json'],
      code: 0,
      json: { body: { enabled: true } },
      api: [['GET', HOOK, { body: { ...sampleWebhook, enabled: false } }]],
    },
    // Nothing to send (already in that state): --json still prints one document, the webhook as it stays.
    {
      argv: ['webhooks', 'enable', ID, '--dry-run', '--json'],
      code: 0,
      json: { id: ID, enabled: true },
      api: [current],
    },
    {
      argv: ['webhooks', 'update', ID, '--add-event', sampleWebhook.subscribed_events[0]!, '--dry-run', '--json'],
      code: 0,
      json: { id: ID },
      api: [current],
    },
    usage(['webhooks', 'update', ID], 'nothing to update'),
    usage(['webhooks', 'update', ID, '--enable', '--disable'], '--enable and --disable cannot be used together'),
    usage(
      ['webhooks', 'update', ID, '--event', 'task.completed', '--add-event', 'task.failed'],
      '--event replaces the whole set',
    ),
    usage(['webhooks', 'update', ID, '--url', 'http://e.example.com/'], 'invalid --url: the URL must use https://'),
    usage(['webhooks', 'update', ID, '--add-event', 'nope.x'], 'invalid --add-event "nope.x"'),
    usage(['webhooks', 'enable'], 'pass the webhook id instead'),
    usage(['webhooks', 'disable', 'a', 'b'], "too many arguments for 'disable'. Expected 1 argument but got 2."),
  ]);
});

describe('webhooks delete and rotate-secret', () => {
  parserTable([
    { argv: ['webhooks', 'delete', ID, '--dry-run', '--json'], code: 0, json: { method: 'DELETE', body: null } },
    { argv: ['webhooks', 'rm', ID, '--dry-run', '--json'], code: 0, json: { method: 'DELETE' } },
    usage(['webhooks', 'delete', ID], 'cannot prompt because stdin or stdout is not a terminal; pass --yes instead'),
    usage(['webhooks', 'delete'], 'pass the webhook id instead'),
    usage(['webhooks', 'rotate-secret', ID], 'pass --yes instead'),
    usage(
      ['webhooks', 'rotate-secret', ID, '--yes', '--secret-file', ''],
      'invalid --secret-file "": give a file path',
    ),
    usage(['webhooks', 'rotate-secret', ID, '--bogus'], "unknown option '--bogus'"),
  ]);
});

describe('webhooks test and deliveries', () => {
  parserTable([
    usage(['webhooks', 'test', ID], 'pass --event <type> instead'),
    usage(['webhooks', 'test', ID, '--event', 'nope'], 'invalid --event "nope": not an Anchor event type.'),
    // Changes with the shared duration flag (issue 24): a word is refused either way.
    usage(
      ['webhooks', 'test', ID, '--event', 'task.completed', '--wait-timeout', 'soon'],
      'invalid --wait-timeout "soon"',
    ),
    usage(
      ['webhooks', 'deliveries', ID, '--status', 'maybe'],
      'invalid --status "maybe": must be one of pending, succeeded, failed, dead',
    ),
    usage(['webhooks', 'deliveries', ID, '--limit', '0'], 'invalid --limit "0": must be a whole number from 1 to 100'),
    usage(['webhooks', 'deliveries', ID, '--since', 'yesterdayish'], 'invalid --since "yesterdayish"'),
    usage(['webhooks', 'deliveries'], 'pass the webhook id instead'),
  ]);
});
