// The MCP replay tool resolves an event or delivery id as the CLI does: to the newest verified
// original record, never to a newer refused request or replay that claims it.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordWriter } from '../../src/local/record.js';
import { checkReplay } from '../../src/mcp/replay-guard.js';
import { recordedRequest } from '../helpers/record.js';

describe('replay tool ids', () => {
  // A secret to re-sign with, so the guard goes on to the ids.
  const env = {
    ANCHOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'anchor-guard-')),
    ANCHOR_WEBHOOK_SECRET: 'whsec_guard_ids',
  };
  const t0 = Date.now() - 60_000;
  const w = RecordWriter.open(env, (s) => s, Date.now);
  w.request(recordedRequest('rec_orig', t0, 'ok', { event_id: 'evt_a', delivery_id: 'dlv_a' }));
  w.request(recordedRequest('rec_claim', t0 + 1000, 'refused', { event_id: 'evt_a', delivery_id: 'dlv_a' }));
  w.request(recordedRequest('rec_replay', t0 + 2000, 'ok', { event_id: 'evt_a', replay_of: 'rec_orig' }));
  w.request(recordedRequest('rec_lone', t0 + 3000, 'refused', { event_id: 'evt_lone' }));
  w.close();
  const ctx = { env, nowMs: Date.now() };

  it('an event or delivery id becomes the verified original record id', () => {
    expect(checkReplay({ record_ids: ['evt_a', 'dlv_a'] }, ctx)).toEqual({ record_ids: ['rec_orig', 'rec_orig'] });
  });

  it('an id only a refused request claims goes on unresolved (the command says it has no such delivery)', () => {
    expect(checkReplay({ record_ids: ['evt_lone'] }, ctx)).toEqual({ record_ids: ['evt_lone'] });
    // Named by its record id, a refused request is refused by the tool.
    expect(checkReplay({ record_ids: ['rec_lone'] }, ctx)).toMatch(/^refused record "rec_lone"/);
  });
});
