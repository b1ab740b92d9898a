// Whether a stream gets colour, and how much: one rule for every coloured thing (text, tables,
// spinner symbols). chalk draws the colour, but its own detection is not used: it ignores NO_COLOR
// and reads the real process streams, not the Context's.

export interface ColorFacts {
  isTTY: boolean;
  env: Record<string, string | undefined>;
  /** false when --no-color was given. */
  flag: boolean;
}

/** chalk's levels: 0 none, 1 the 16 basic colours, 2 256 colours, 3 truecolor. */
export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * Off with --no-color, NO_COLOR (any non-empty value), FORCE_COLOR=0 or TERM=dumb; forced on by
 * FORCE_COLOR=1..3 even when piped (as chalk and Node do); otherwise on only for a terminal, at
 * level 1: anchor writes only the 16 basic colours, which every colour terminal shows.
 */
export function colorLevel({ isTTY, env, flag }: ColorFacts): ColorLevel {
  if (!flag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2' || force === '3') return Number(force) as ColorLevel;
    if (force === '' || force === '1' || force === 'true') return 1;
  }
  if (env.TERM === 'dumb') return 0;
  return isTTY ? 1 : 0;
}

export const colorEnabled = (facts: ColorFacts): boolean => colorLevel(facts) > 0;
