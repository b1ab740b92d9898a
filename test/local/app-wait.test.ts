// The slow-app warning: worded from Anchor's one wait constant, whatever --forward-timeout is.
import { describe, expect, it } from 'vitest';
import { ANCHOR_WAIT_MS, isSlow, slowAppWarning } from '../../src/local/app-wait.js';

describe('slowAppWarning', () => {
  it('an app that took longer than Anchor waits: how long, and what Anchor does about it', () => {
    expect(slowAppWarning({ latencyMs: 14_234 })).toBe(
      'your app took 14.2 s; Anchor stops waiting after 10 s and will send this delivery again: answer first, work after',
    );
  });
  it('a relay that ran out of --forward-timeout still says Anchor waits 10 s', () => {
    expect(slowAppWarning({ timedOutAfterMs: 1000 })).toBe(
      'your app did not answer within 1 s (--forward-timeout), so listen answered Anchor 504; Anchor stops waiting after 10 s and will send this delivery again: answer first, work after',
    );
  });
  it('slow is over Anchor’s wait, or timed out', () => {
    expect(ANCHOR_WAIT_MS).toBe(10_000);
    expect(isSlow(ANCHOR_WAIT_MS, false)).toBe(false);
    expect(isSlow(ANCHOR_WAIT_MS + 0.1, false)).toBe(true);
    expect(isSlow(5, true)).toBe(true);
  });
});
