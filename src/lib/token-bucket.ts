// A token bucket: what a stranger can make a server do (diagnose a refusal, print or record it) is
// allowed in a burst, then at a steady rate. The receiver, `listen`'s refusal lines and the record
// writer each keep one.

export interface Rate {
  /** Tokens at the start, and the most the bucket holds. */
  burst: number;
  /** Tokens added back each second. */
  perSecond: number;
}

/** Takes one token when there is one (true), else false; `now` is a clock in milliseconds. */
export function tokenBucket(rate: Rate, now: () => number): () => boolean {
  let tokens = rate.burst;
  let last = now();
  return () => {
    const t = now();
    tokens = Math.min(rate.burst, tokens + ((t - last) / 1000) * rate.perSecond);
    last = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}
