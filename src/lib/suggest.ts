// "Did you mean …?": the closest candidates by edit distance.

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The candidates close enough to `input` to be a likely typo, best first. */
export function suggest(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = input.toLowerCase();
  return candidates
    .map((c) => {
      const lower = c.toLowerCase();
      const d = distance(needle, lower);
      // A prefix or a fragment of the name counts as close too: `task` → task.completed …
      const contains = needle.length >= 3 && (lower.startsWith(needle) || lower.includes(needle));
      return { c, d: contains ? Math.min(d, 1) : d };
    })
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 3)))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}

/** ` Did you mean "a" or "b"?` or '' when nothing is close. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const found = suggest(input, candidates);
  if (found.length === 0) return '';
  const quoted = found.map((f) => `"${f}"`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return ` Did you mean ${list}?`;
}
