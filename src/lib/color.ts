// Whether a stream gets colour: one rule for every coloured thing (text, tables, spinner symbols).

export interface ColorFacts {
  isTTY: boolean;
  env: Record<string, string | undefined>;
  /** false when --no-color was given. */
  flag: boolean;
}

/**
 * Off with --no-color, NO_COLOR (any non-empty value), FORCE_COLOR=0 or TERM=dumb; forced on by
 * FORCE_COLOR=1..3 even when piped (as chalk and Node do); otherwise on only for a terminal.
 */
export function colorEnabled({ isTTY, env, flag }: ColorFacts): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return false;
    if (force === '' || force === '1' || force === '2' || force === '3' || force === 'true') return true;
  }
  if (env.TERM === 'dumb') return false;
  return isTTY;
}
