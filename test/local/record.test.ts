// The record's retention (the newest 1,000 verified requests, nothing older than 7 days) and its reader's
// handling of what a crash or a stranger leaves on disk.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyRetention, readRecords, RecordWriter, RETAIN_REQUESTS } from '../../src/local/record.js';
import { writeRecords } from '../../scripts/bench-throughput.mjs';

const stateDir = () => mkdtempSync(join(tmpdir(), 'anchor-record-'));

describe('retention', () => {
  it('keeps the newest 1,000 of 5,000 requests and drops whole older segments', () => {
    const dir = stateDir();
    writeRecords(dir, 5000);
    const env = { ANCHOR_STATE_DIR: dir };
    const before = readdirSync(join(dir, 'record')).length;
    applyRetention(join(dir, 'record'), Date.now());
    const after = readdirSync(join(dir, 'record')).length;
    expect(after).toBeLessThan(before);
    const records = readRecords(env, { nowMs: Date.now(), limit: 5000 });
    expect(records).toHaveLength(RETAIN_REQUESTS);
    // Newest first: the last one written leads.
    expect(records[0]!.event_id).toBe(`evt_${(4999).toString(16).padStart(24, '0')}`);
    expect(records.every((r) => r.forward?.status === 200)).toBe(true);
  });

  it('drops segments older than 7 days, and never lists an older request', () => {
    const dir = stateDir();
    writeRecords(dir, 300);
    const seg = join(dir, 'record', readdirSync(join(dir, 'record'))[0]!);
    const eightDaysAgo = (Date.now() - 8 * 86_400_000) / 1000;
    utimesSync(seg, eightDaysAgo, eightDaysAgo);
    // Read as of 8 days later: everything recorded is too old to show.
    expect(readRecords({ ANCHOR_STATE_DIR: dir }, { nowMs: Date.now() + 8 * 86_400_000 })).toEqual([]);
    applyRetention(join(dir, 'record'), Date.now());
    expect(readdirSync(join(dir, 'record'))).not.toContain(seg.split('/').at(-1));
  });

  it('a writer makes its folder 0700 and its files 0600, rotates segments, and redacts secrets from headers', () => {
    const dir = stateDir();
    const w = RecordWriter.open(
      { ANCHOR_STATE_DIR: dir },
      (s) => s.replaceAll('sekret', '[REDACTED]'),
      () => Date.now(),
    );
    for (let i = 0; i < 600; i++)
      w.request({
        id: `rec_${i}`,
        received_at: new Date().toISOString(),
        method: 'POST',
        path: '/',
        headers: { authorization: 'Bearer sekret' },
        body_b64: '',
        verdict: 'ok',
        status: 200,
      });
    // A refusal's headers are redacted as well.
    w.request({
      id: 'rec_refused',
      received_at: new Date().toISOString(),
      method: 'POST',
      path: '/',
      headers: { authorization: 'Bearer sekret' },
      body_b64: '',
      verdict: 'refused',
      status: 401,
    });
    w.close();
    const rdir = join(dir, 'record');
    expect(statSync(rdir).mode & 0o777).toBe(0o700);
    const files = readdirSync(rdir);
    expect(files.filter((f) => f.startsWith('seg-')).length).toBe(3);
    expect(files.filter((f) => f.startsWith('ref-')).length).toBe(1);
    for (const f of files) expect(statSync(join(rdir, f)).mode & 0o777).toBe(0o600);
    const all = readRecords({ ANCHOR_STATE_DIR: dir }, { nowMs: Date.now(), withBodies: true });
    expect(all).toHaveLength(601);
    expect(all.every((r) => r.headers.authorization === 'Bearer [REDACTED]')).toBe(true);
  });

  it('skips lines that are not records and says where they are', () => {
    const dir = stateDir();
    writeRecords(dir, 10);
    const rdir = join(dir, 'record');
    writeFileSync(join(rdir, readdirSync(rdir)[0]!), '{"k":"req","id":1}\n[1,2]\n{not json\n', { flag: 'a' });
    const where: string[] = [];
    const records = readRecords({ ANCHOR_STATE_DIR: dir }, { nowMs: Date.now(), onCorrupt: (w) => where.push(w) });
    expect(records).toHaveLength(10);
    expect(where.map((w) => w.split(':').at(-1))).toEqual(['21', '22', '23']);
  });
});
