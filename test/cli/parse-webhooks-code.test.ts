// Parser tables for webhooks as code: export and apply. argv → the request or plan it makes, or
// the usage error, exit 2, with nothing sent.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { parserTable, usage } from '../helpers/parser-table.js';
import { sampleWebhook } from '../helpers/script-server.js';

const dir = mkdtempSync(join(tmpdir(), 'anchor-parse-apply-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const same = file(
  'same.yaml',
  `webhooks:\n  - url: ${sampleWebhook.url}\n    events: [task.completed]\n    description: ${sampleWebhook.description}\n`,
);
const listed: [string, string, { body: unknown }] = ['GET', '/v1/webhooks', { body: { webhooks: [sampleWebhook] } }];

describe('webhooks export', () => {
  parserTable([
    {
      argv: ['webhooks', 'export', '--format', 'json'],
      code: 0,
      json: { webhooks: [{ url: sampleWebhook.url }] },
      api: [listed],
    },
    { argv: ['webhooks', 'export'], code: 0, stdout: /^webhooks:/m, api: [listed] },
    usage(['webhooks', 'export', '--format', 'xml'], 'invalid --format "xml": must be one of yaml, json'),
  ]);
});

describe('webhooks apply', () => {
  parserTable([
    { argv: ['webhooks', 'apply', '-f', same, '--dry-run'], code: 0, api: [listed] },
    { argv: ['webhooks', 'apply', '--file', same, '--check'], code: 0, api: [listed] },
    usage(['webhooks', 'apply'], 'missing --file'),
    usage(['webhooks', 'apply', '-f', join(dir, 'missing.yaml')], 'cannot read the apply file'),
    usage(
      [
        'webhooks',
        'apply',
        '-f',
        file('bad.yaml', 'webhooks:\n  - url: https://e.example.com/\n    events: [nope.x]\n'),
      ],
      'nope.x',
    ),
    usage(['webhooks', 'apply', '-f', file('extra.yaml', 'webhooks: []\nextra: 1\n')], 'extra'),
  ]);
});
