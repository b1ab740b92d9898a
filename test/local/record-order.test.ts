// The reader's two ways to put the record in order — walking segments that follow each other
// from the end, or sorting every request when runs overlap — give the same answer: newest first by
// arrival (then id), each kind within its budget, whatever the runs, limits and filters.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecords, RecordWriter, type RecordedRequest } from '../../src/local/record.js';
import { recordedRequest } from '../helpers/record.js';

const T0 = Date.parse('2026-05-24T12:00:00Z');

const run = fc.record({
  start: fc.integer({ min: 0, max: 600_000 }),
  step: fc.integer({ min: 0, max: 3_000 }),
  // At most 4 × 240 verified requests: under the 1,000 retention keeps (it goes by when segments were
  // written, which a test's clocks do not follow), so the oracle is every request written.
  count: fc.integer({ min: 1, max: 240 }),
  refusedEvery: fc.integer({ min: 0, max: 40 }),
  bodyBytes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30_000 })),
});

describe('the order of the record', () => {
  it('is the same, sorted or walked, for runs that follow each other or overlap', () => {
    fc.assert(
      fc.property(
        fc.array(run, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 1300 }),
        (runs, sequential, limit) => {
          const env = { ANCHOR_STATE_DIR: mkdtempSync(join(tmpdir(), 'anchor-order-')) };
          const all: RecordedRequest[] = [];
          const refusedKept: RecordedRequest[] = [];
          let after = T0;
          runs.forEach((r, w) => {
            // Sequential runs start after the one before ended; others at any time (overlapping).
            let clock = sequential ? after + 1 + r.start : T0 + r.start;
            const writer = RecordWriter.open(
              env,
              (s) => s,
              () => clock,
              { monotonic: () => 0 },
            );
            for (let i = 0; i < r.count; i++) {
              clock += r.step;
              const refused = r.refusedEvery > 0 && i % r.refusedEvery === 0;
              // Large bodies put a segment's first or last request head beyond what is read of its ends.
              const rec = recordedRequest(
                `rec_${w}_${String(i).padStart(4, '0')}`,
                clock,
                refused ? 'refused' : 'ok',
                {},
                i % 7 === 0 ? r.bodyBytes : 0,
              );
              writer.request(rec);
              all.push(rec);
              // Each writer's refusal rate lets in its first 50 (its monotonic clock never moves).
              if (refused && i < 50 * r.refusedEvery) refusedKept.push(rec);
            }
            writer.close();
            after = clock;
          });
          const newest = (a: RecordedRequest, b: RecordedRequest) =>
            a.received_at < b.received_at ? 1 : a.received_at > b.received_at ? -1 : a.id < b.id ? 1 : -1;
          // What was kept: every verified one, and the refusals each writer's rate let in.
          const kept = [
            ...all
              .filter((r) => r.verdict === 'ok')
              .sort(newest)
              .slice(0, 1000),
            ...refusedKept.sort(newest).slice(0, 200),
          ].sort(newest);
          const got = readRecords(env, { nowMs: after + 1, limit });
          expect(got.map((r) => r.id)).toEqual(kept.slice(0, limit).map((r) => r.id));
        },
      ),
      { numRuns: 60 },
    );
  });
});
