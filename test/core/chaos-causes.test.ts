// The causes of a chaos run's wrong answers, likeliest first, and the chaos a run could not apply,
// on graded rows made here (the receivers that produce them are in the command and journey tests).
import { describe, expect, it } from 'vitest';
import { chaosNotApplied, wrongAnswerCauses, type GradedDelivery } from '../../src/core/chaos-causes.js';

const row = (status: number, injected?: GradedDelivery['injected'], expected: GradedDelivery['expected'] = '2xx') => ({
  status,
  expected,
  ok: expected === '2xx' ? status >= 200 && status < 300 : status >= 400 && status < 500,
  ...(injected ? { injected } : {}),
});

describe('wrongAnswerCauses', () => {
  it('every correct delivery refused, reordered or not: one cause, first, and no ordering', () => {
    const rows = [row(401, 'reorder'), row(401), row(401, 'reorder'), row(401, 'stale', 'not 2xx')];
    expect(wrongAnswerCauses(rows)).toEqual(['every-signed-refused']);
  });
  it('a crash where a refusal was due still comes after it', () => {
    const rows = [row(403), row(500, 'bad-signature', 'not 2xx')];
    expect(wrongAnswerCauses(rows)).toEqual(['every-signed-refused', 'bad-signature', 'crash']);
  });
  it('others accepted: a reordered refusal is about order, and so is the unmoved middle of a reversal', () => {
    expect(wrongAnswerCauses([row(409, 'reorder'), row(200), row(200, 'reorder')])).toEqual(['reorder']);
    expect(wrongAnswerCauses([row(200, 'reorder'), row(409), row(200, 'reorder')])).toEqual(['reorder', 'plain']);
  });
  it('no reordering: a refused correct delivery is plain; a 5xx to every correct one is not a refusal', () => {
    expect(wrongAnswerCauses([row(200), row(401)])).toEqual(['plain']);
    expect(wrongAnswerCauses([row(500), row(500)])).toEqual(['plain']);
    expect(wrongAnswerCauses([row(200), row(200, 'stale', 'not 2xx')])).toEqual(['stale']);
  });
});

describe('chaosNotApplied', () => {
  it('says why no duplicate was sent, and why a single event cannot be reordered', () => {
    expect(chaosNotApplied(['duplicate'], [row(401)], 1)).toEqual([
      expect.stringMatching(/^duplicate: not sent, because your endpoint acknowledged none of the events with a 2xx/),
    ]);
    expect(chaosNotApplied(['duplicate'], [row(200), row(200, 'duplicate')], 1)).toEqual([]);
    expect(chaosNotApplied(['reorder'], [row(200)], 1)).toEqual([
      'reorder: not applied, because there is only one event to send',
    ]);
    expect(chaosNotApplied(['reorder', 'stale'], [row(200, 'reorder'), row(200)], 2)).toEqual([]);
  });
});
