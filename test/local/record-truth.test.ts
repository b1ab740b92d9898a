// The record as the truth: which record an event or delivery id names (the newest verified
// original, never a refused claim or a replay), today's segments still read, a newer anchor's
// lines skipped and counted, refused requests' claims, and `received clear` on segments whose
// writer is gone (rewritten) or still running (a drop file).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRecords, RecordWriter, type RecordedRequest } from '../../src/local/record.js';
import { claimsOf } from '../../src/local/record-claims.js';
import { clearRecords } from '../../src/local/record-clear.js';
import { pickRecord } from '../../src/local/record-select.js';
import { recordedRequest } from '../helpers/record.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/record-v1', import.meta.url));
/** The fixture was recorded at 2026-12-05T18:42:51Z; read as of a few minutes later. */
const FIXTURE_NOW = Date.parse('2026-12-05T19:00:00Z');

const stateDir = () => mkdtempSync(join(tmpdir(), 'anchor-truth-'));
const write = (dir: string, records: RecordedRequest[]) => {
  const w = RecordWriter.open({ ANCHOR_STATE_DIR: dir }, (s) => s, Date.now);
  for (const r of records) w.request(r);
  w.close();
};

describe('which record an id names', () => {
  const t0 = Date.now() - 60_000;
  const original = recordedRequest('rec_a', t0, 'ok', { event_id: 'evt_1', delivery_id: 'dlv_1' });
  const olderOriginal = recordedRequest('rec_0', t0 - 1000, 'ok', { event_id: 'evt_1', delivery_id: 'dlv_0' });
  const claim = recordedRequest('rec_b', t0 + 1000, 'refused', {
    event_type: 'task.completed',
    event_id: 'evt_1',
    delivery_id: 'dlv_1',
  });
  const replay = recordedRequest('rec_c', t0 + 2000, 'ok', {
    event_id: 'evt_1',
    delivery_id: 'dlv_1',
    replay_of: 'rec_a',
  });
  const duplicate = recordedRequest('rec_d', t0 + 3000, 'ok', {
    event_id: 'evt_1',
    delivery_id: 'dlv_1',
    duplicate: true,
  });

  it('an event or delivery id names the newest verified original, over a newer refused claim, replay or duplicate', () => {
    const dir = stateDir();
    write(dir, [olderOriginal, original, claim, replay, duplicate]);
    const records = readRecords({ ANCHOR_STATE_DIR: dir }, { nowMs: Date.now() });
    expect(records.map((r) => r.id)).toEqual(['rec_d', 'rec_c', 'rec_b', 'rec_a', 'rec_0']);
    expect(pickRecord(records, 'evt_1')?.id).toBe('rec_a');
    expect(pickRecord(records, 'dlv_1')?.id).toBe('rec_a');
    expect(pickRecord(records, 'dlv_0')?.id).toBe('rec_0');
    // A record id names itself, whatever it is.
    expect(pickRecord(records, 'rec_b')?.id).toBe('rec_b');
    expect(pickRecord(records, 'rec_c')?.replay_of).toBe('rec_a');
  });

  it('the envelope id a --new-id replay was given names that replay (no original has it); a claim of it does not', () => {
    const renewed = recordedRequest('rec_e', t0 + 4000, 'ok', { event_id: 'evt_new', replay_of: 'rec_a' });
    const claimNew = recordedRequest('rec_f', t0 + 5000, 'refused', { event_id: 'evt_new' });
    expect(pickRecord([claimNew, renewed, original], 'evt_new')?.id).toBe('rec_e');
    // Without its original kept, nothing says the id was minted for the replay.
    expect(pickRecord([claimNew, renewed], 'evt_new')).toBeUndefined();
  });

  it('an id that only a refused request claims names nothing', () => {
    const records = [claim, replay];
    expect(pickRecord(records, 'evt_1')).toBeUndefined();
    expect(pickRecord(records, 'evt_unknown')).toBeUndefined();
  });
});

describe('format versions', () => {
  it("reads today's segments (lines without a version): verified with its app answer, refused", () => {
    const dir = stateDir();
    mkdirSync(join(dir, 'record'), { mode: 0o700 });
    cpSync(FIXTURE, join(dir, 'record'), { recursive: true });
    const corrupt: string[] = [];
    const records = readRecords(
      { ANCHOR_STATE_DIR: dir },
      { nowMs: FIXTURE_NOW, withBodies: true, onCorrupt: (w) => corrupt.push(w) },
    );
    expect(corrupt).toEqual([]);
    expect(records.map((r) => [r.id, r.verdict])).toEqual([
      ['rec_0mxarfpt0002m7', 'refused'],
      ['rec_0mxarfpjv001m7', 'ok'],
    ]);
    expect(records[1]).toMatchObject({
      event_type: 'task.completed',
      event_id: 'evt_39a5c38649af6e28d792ed0c',
      status: 500,
      forward: { status: 500, response_body: 'app failed' },
    });
    expect(JSON.parse(Buffer.from(records[1]!.body_b64, 'base64').toString()).id).toBe('evt_39a5c38649af6e28d792ed0c');
    expect(pickRecord(records, 'evt_39a5c38649af6e28d792ed0c')?.id).toBe('rec_0mxarfpjv001m7');
  });

  it('writes a version in every line, and skips and counts the lines of a newer version, once', () => {
    const dir = stateDir();
    write(dir, [recordedRequest('rec_new1', Date.now() - 5000, 'ok')]);
    const segs = readdirSync(join(dir, 'record'));
    const seg = join(dir, 'record', segs[0]!);
    expect(JSON.parse(readFileSync(seg, 'utf8').trim())).toMatchObject({ k: 'req', id: 'rec_new1', v: 2 });
    // Two lines of a future format: one in the writer's layout, one in another.
    const { id, received_at, ...rest } = recordedRequest('rec_new2', Date.now() - 4000, 'ok');
    appendFileSync(seg, `${JSON.stringify({ k: 'req', id, received_at, v: 3, ...rest })}\n`);
    appendFileSync(seg, `${JSON.stringify({ k: 'req2', v: 7, when: 'later' })}\n`);
    const corrupt: string[] = [];
    const newer: number[] = [];
    const records = readRecords(
      { ANCHOR_STATE_DIR: dir },
      { nowMs: Date.now(), onCorrupt: (w) => corrupt.push(w), onNewer: (n) => newer.push(n) },
    );
    expect(records.map((r) => r.id)).toEqual(['rec_new1']);
    expect(corrupt).toEqual([]);
    expect(newer).toEqual([2]);
  });
});

describe('claims of a refused request', () => {
  it('takes the type and delivery id from the headers and the event id from the body, bounded', () => {
    const body = Buffer.from(JSON.stringify({ id: `evt_${'x'.repeat(500)}`, type: 'task.failed' }));
    const c = claimsOf({ 'anchor-event': 'task.completed', 'anchor-delivery-id': 'dlv_9' }, body);
    expect(c.event_type).toBe('task.completed');
    expect(c.delivery_id).toBe('dlv_9');
    expect(c.event_id).toHaveLength(200);
    // A body that is not JSON, or headers given twice (an array), claim nothing there.
    expect(claimsOf({ 'anchor-event': ['a', 'b'] }, Buffer.from('not json'))).toEqual({});
  });
});

describe('received clear', () => {
  /** Segments named as another process's, that has ended (a pid no process has). */
  const deadPid = (() => {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    return Number(r.stdout.toString());
  })();
  const asDead = (dir: string) => {
    for (const name of readdirSync(join(dir, 'record'))) {
      const parts = name.split('-');
      parts[2] = String(deadPid);
      renameSync(join(dir, 'record', name), join(dir, 'record', parts.join('-')));
    }
  };
  const now = Date.now();
  const records = [
    recordedRequest('rec_old', now - 7200_000, 'ok'),
    recordedRequest('rec_bad', now - 3600_000, 'refused'),
    recordedRequest('rec_new', now - 60_000, 'ok'),
  ];
  const ids = (dir: string) => readRecords({ ANCHOR_STATE_DIR: dir }, { nowMs: now }).map((r) => r.id);

  it('of a writer that is gone: rewrites or removes its segments', () => {
    const dir = stateDir();
    write(dir, records);
    asDead(dir);
    const env = { ANCHOR_STATE_DIR: dir };
    expect(clearRecords(env, { refused: true }, { nowMs: now, dryRun: true })).toBe(1);
    expect(ids(dir)).toEqual(['rec_new', 'rec_bad', 'rec_old']);
    expect(clearRecords(env, { refused: true }, { nowMs: now })).toBe(1);
    expect(ids(dir)).toEqual(['rec_new', 'rec_old']);
    expect(clearRecords(env, { beforeMs: now - 600_000 }, { nowMs: now })).toBe(1);
    expect(ids(dir)).toEqual(['rec_new']);
    // No drop file: the segments themselves changed, and none is left half-written.
    expect(readdirSync(join(dir, 'record')).filter((n) => n.startsWith('drop-'))).toEqual([]);
    expect(clearRecords(env, {}, { nowMs: now })).toBe(1);
    expect(readdirSync(join(dir, 'record'))).toEqual([]);
  });

  it('of a writer still running: leaves its segment alone and hides the ids, and what it writes next shows', () => {
    const dir = stateDir();
    const env = { ANCHOR_STATE_DIR: dir };
    const w = RecordWriter.open(env, (s) => s, Date.now);
    for (const r of records) w.request(r);
    const before = readdirSync(join(dir, 'record')).sort();
    const sizes = before.map((n) => readFileSync(join(dir, 'record', n)).length);
    expect(clearRecords(env, {}, { nowMs: now })).toBe(3);
    expect(ids(dir)).toEqual([]);
    // The running writer's files are the same files, unchanged.
    expect(
      readdirSync(join(dir, 'record'))
        .filter((n) => !n.startsWith('drop-'))
        .sort(),
    ).toEqual(before);
    expect(before.map((n) => readFileSync(join(dir, 'record', n)).length)).toEqual(sizes);
    w.request(recordedRequest('rec_after', now - 1000, 'ok'));
    w.close();
    expect(ids(dir)).toEqual(['rec_after']);
    // Cleared already: not counted again.
    expect(clearRecords(env, { beforeMs: now - 10_000 }, { nowMs: now })).toBe(0);
  });
});
