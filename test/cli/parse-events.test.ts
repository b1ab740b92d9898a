// Parser tables for the event catalog and trigger: events list, show, scenarios and trigger.
// argv → what the offline command prints, or the usage error, exit 2, with nothing sent.
import { describe, expect } from 'vitest';
import { parserTable, usage } from '../helpers/parser-table.js';

const withSecret = { env: { ANCHOR_WEBHOOK_SECRET: 'parser-table-secret-0123456789' } };
const TO = 'http://127.0.0.1:9/hooks';

describe('events list, show, scenarios', () => {
  parserTable([
    {
      argv: ['events', 'list', '--json'],
      code: 0,
      json: expect.arrayContaining([expect.objectContaining({ type: 'task.completed', entity: 'task' })]),
    },
    { argv: ['events', 'show', 'task.failed', '--json'], code: 0, json: { type: 'task.failed', entity: 'task' } },
    {
      argv: ['events', 'scenarios', '--json'],
      code: 0,
      json: expect.arrayContaining([expect.objectContaining({ name: 'session-lifecycle' })]),
    },
    usage(['events', 'list', 'extra'], "too many arguments for 'list'. Expected 0 arguments but got 1."),
    usage(['events', 'show'], 'missing event type'),
    usage(['events', 'show', 'nope.x'], 'invalid event type "nope.x": not an Anchor event type.'),
    usage(['events', 'scenarios', 'extra'], "too many arguments for 'scenarios'"),
  ]);
});

describe('events trigger', () => {
  parserTable([
    usage(['events', 'trigger', 'task.completed'], 'missing --forward-to', withSecret),
    usage(['events', 'trigger', 'nope.x', '--forward-to', TO], 'invalid event type "nope.x"', withSecret),
    usage(
      ['events', 'trigger', 'task.completed', '--forward-to', TO, '--chaos', 'bogus'],
      'invalid --chaos "bogus": "bogus" is not one of duplicate, reorder, stale, bad-signature',
      withSecret,
    ),
    usage(
      ['events', 'trigger', '--scenario', 'nope', '--forward-to', TO],
      'invalid --scenario "nope": must be one of session-lifecycle',
      withSecret,
    ),
    usage(['events', 'trigger', 'task.completed', '--forward-to', 'ftp://x'], '--forward-to', withSecret),
    usage(['events', 'trigger', 'task.completed', '--forward-to', TO, '--set', 'novalue'], '--set', withSecret),
    usage(['events', 'trigger', '--scenario', 'batch', '--forward-to', TO, '--delay', 'soon'], '--delay', withSecret),
  ]);
});
