// The record against a stranger and a shared folder: refused requests never evict verified ones
// and are kept at a limited rate with a count of the rest; two writers' records come out in time
// order; a folder or segment someone else owns or can write is refused, and never read.
import { describe, expect, it } from 'vitest';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecords, RecordWriter } from '../../src/local/record.js';
import { CliError } from '../../src/errors.js';
import { recordedRequest } from '../helpers/record.js';

const stateDir = () => mkdtempSync(join(tmpdir(), 'anchor-record-'));
const keep = (s: string) => s;

const request = recordedRequest;

describe('a flood of refused requests', () => {
  it('never evicts a verified one: 1,300 refusals after 20 deliveries leave all 20, and at most 200 refusals', () => {
    const dir = stateDir();
    const env = { ANCHOR_STATE_DIR: dir };
    let clock = Date.parse('2026-05-24T12:00:00Z');
    // The flood arrives in a quarter of a second.
    let mono = 0;
    const w = RecordWriter.open(env, keep, () => clock, { monotonic: () => mono });
    for (let i = 0; i < 20; i++) w.request(request(`rec_ok${String(i).padStart(3, '0')}`, clock++, 'ok'));
    for (let i = 0; i < 1300; i++) {
      w.request(request(`rec_bad${String(i).padStart(5, '0')}`, clock++, 'refused'));
      mono += 250 / 1300;
    }
    w.close();
    const skipped: number[] = [];
    const all = readRecords(env, { nowMs: clock, onSkipped: (n) => skipped.push(n) });
    const verified = all.filter((r) => r.verdict === 'ok');
    expect(verified.map((r) => r.id)).toHaveLength(20);
    const refused = all.filter((r) => r.verdict === 'refused');
    // A burst of 50, then 10 a second for a quarter of a second.
    expect(refused.length).toBeGreaterThanOrEqual(50);
    expect(refused.length).toBeLessThanOrEqual(53);
    expect(skipped).toEqual([1300 - refused.length]);
    // The newest verified is still what `replay --last` picks.
    expect(readRecords(env, { nowMs: clock }).find((r) => r.verdict === 'ok')!.id).toBe('rec_ok019');
  });

  it('keeps the newest 200 refusals, in their own segments, when they come slowly enough', () => {
    const dir = stateDir();
    const env = { ANCHOR_STATE_DIR: dir };
    let clock = Date.parse('2026-05-24T12:00:00Z');
    let mono = 0;
    const w = RecordWriter.open(env, keep, () => clock, { monotonic: () => mono });
    for (let i = 0; i < 5; i++) w.request(request(`rec_ok${i}`, clock++, 'ok'));
    for (let i = 0; i < 1000; i++) {
      w.request(request(`rec_bad${String(i).padStart(5, '0')}`, clock++, 'refused'));
      mono += 100;
    }
    w.close();
    const files = readdirSync(join(dir, 'record'));
    expect(files.filter((f) => f.startsWith('seg-'))).toHaveLength(1);
    const all = readRecords(env, { nowMs: clock });
    expect(all.filter((r) => r.verdict === 'ok')).toHaveLength(5);
    const refused = all.filter((r) => r.verdict === 'refused');
    expect(refused).toHaveLength(200);
    expect(refused[0]!.id).toBe('rec_bad00999');
  });

  it('keeps a request whose HMAC matched with the verified ones, though listen refused its envelope (400)', () => {
    const dir = stateDir();
    const env = { ANCHOR_STATE_DIR: dir };
    let clock = Date.parse('2026-05-24T12:00:00Z');
    const w = RecordWriter.open(env, keep, () => clock, { monotonic: () => 0 });
    const signed = [
      { name: 'headers', ok: true, detail: '' },
      { name: 'freshness', ok: true, detail: '' },
      { name: 'signature', ok: true, detail: '' },
    ];
    w.request(request('rec_badenvelope', clock++, 'refused', { status: 400, checks: signed }));
    for (let i = 0; i < 300; i++) w.request(request(`rec_bad${String(i).padStart(5, '0')}`, clock++, 'refused'));
    w.close();
    const seg = readdirSync(join(dir, 'record')).find((f) => f.startsWith('seg-'))!;
    expect(readFileSync(join(dir, 'record', seg), 'utf8')).toContain('rec_badenvelope');
    expect(readRecords(env, { nowMs: clock, refused: true, limit: 1000 }).map((r) => r.id)).toContain(
      'rec_badenvelope',
    );
  });

  it('never evicts a verified one with copies of a captured delivery: duplicates and 429s go with the refusals', () => {
    const dir = stateDir();
    const env = { ANCHOR_STATE_DIR: dir };
    let clock = Date.parse('2026-05-24T12:00:00Z');
    let mono = 0;
    const w = RecordWriter.open(env, keep, () => clock, { monotonic: () => mono });
    for (let i = 0; i < 3; i++) w.request(request(`rec_mine${i}`, clock++, 'ok'));
    // A stranger resends one delivery they saw, 1,100 times within its freshness window.
    for (let i = 0; i < 1100; i++) {
      mono += 0.2;
      const copy = i % 20 === 19 ? { status: 429, verdict: 'refused' as const } : { duplicate: true };
      w.request(request(`rec_copy${String(i).padStart(5, '0')}`, clock++, 'ok', copy));
    }
    w.close();
    const all = readRecords(env, { nowMs: clock, limit: 2000 });
    expect(all.filter((r) => r.id.startsWith('rec_mine')).map((r) => r.id)).toEqual([
      'rec_mine2',
      'rec_mine1',
      'rec_mine0',
    ]);
    expect(all.filter((r) => r.id.startsWith('rec_copy')).length).toBeLessThanOrEqual(200);
  });
});

describe('two listen runs writing at once', () => {
  it('come out newest first by arrival time, not by segment name', () => {
    const dir = stateDir();
    const env = { ANCHOR_STATE_DIR: dir };
    const start = Date.parse('2026-05-24T12:00:00Z');
    // The first run started long before the second; both then receive, interleaved.
    let clockA = start;
    let clockB = start + 60_000;
    const a = RecordWriter.open(env, keep, () => clockA);
    const b = RecordWriter.open(env, keep, () => clockB);
    const expected: string[] = [];
    for (let i = 0; i < 10; i++) {
      const t = start + 120_000 + i * 1000;
      clockA = clockB = t;
      const w = i % 2 === 0 ? a : b;
      const id = `rec_${i % 2 === 0 ? 'a' : 'b'}${i}`;
      w.request(request(id, t, 'ok'));
      expected.unshift(id);
    }
    a.close();
    b.close();
    expect(readdirSync(join(dir, 'record')).filter((f) => f.startsWith('seg-'))).toHaveLength(2);
    const ids = readRecords(env, { nowMs: start + 200_000 }).map((r) => r.id);
    expect(ids).toEqual(expected);
    expect(readRecords(env, { nowMs: start + 200_000, limit: 1 })[0]!.id).toBe('rec_b9');
  });
});

describe('a shared state folder', () => {
  /** A record with one verified delivery, written by this user. */
  function recorded(): { dir: string; env: { ANCHOR_STATE_DIR: string } } {
    const dir = stateDir();
    const env = { ANCHOR_STATE_DIR: dir };
    const w = RecordWriter.open(env, keep, () => Date.now());
    w.request(request('rec_mine', Date.now(), 'ok'));
    w.close();
    return { dir, env };
  }
  const refused = (fn: () => unknown, path: string, fix: RegExp) => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toContain(path);
    expect((err as CliError).hint).toMatch(fix);
    expect((err as CliError).exitCode).toBe(1);
  };

  it('refuses a record folder that others can write (mode 0777), to read and to write', () => {
    const { dir, env } = recorded();
    const rdir = join(dir, 'record');
    chmodSync(rdir, 0o777);
    refused(() => readRecords(env, { nowMs: Date.now() }), rdir, /chmod 700/);
    refused(() => RecordWriter.open(env, keep, () => Date.now()), rdir, /chmod 700/);
  });

  it('refuses a state folder that others can write', () => {
    const { dir, env } = recorded();
    chmodSync(dir, 0o1777);
    refused(() => readRecords(env, { nowMs: Date.now() }), dir, /ANCHOR_STATE_DIR/);
  });

  it('refuses a record folder another user owns', () => {
    const { dir, env } = recorded();
    const rdir = join(dir, 'record');
    chownSync(rdir, 12345, 12345);
    refused(() => readRecords(env, { nowMs: Date.now() }), rdir, /chown/);
    refused(() => RecordWriter.open(env, keep, () => Date.now()), rdir, /chown/);
  });

  it('never reads a segment planted by another user', () => {
    const { dir, env } = recorded();
    const rdir = join(dir, 'record');
    const planted = join(rdir, `seg-${(Date.now() + 1000).toString(36)}-1-1.ndjson`);
    const plant = request('rec_planted', Date.now() + 1000, 'ok', {
      forward: { url: 'http://attacker.example/', status: 200, latency_ms: 1, response_body: '' },
    });
    writeFileSync(planted, `${JSON.stringify({ k: 'req', ...plant })}\n`, { mode: 0o600 });
    chownSync(planted, 12345, 12345);
    refused(() => readRecords(env, { nowMs: Date.now() + 2000 }), planted, /rm /);
    refused(() => RecordWriter.open(env, keep, () => Date.now()), planted, /rm /);
  });

  it('creates a missing state folder 0700 and is content with it', () => {
    const dir = join(stateDir(), 'nested', 'state');
    const env = { ANCHOR_STATE_DIR: dir };
    expect(readRecords(env, { nowMs: Date.now() })).toEqual([]);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const w = RecordWriter.open(env, keep, () => Date.now());
    w.request(request('rec_1', Date.now(), 'ok'));
    w.close();
    expect(readRecords(env, { nowMs: Date.now() }).map((r) => r.id)).toEqual(['rec_1']);
  });
});
