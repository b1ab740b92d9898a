import { describe, expect, it } from 'vitest';
import { colorEnabled, colorLevel } from '../../src/lib/color.js';

describe('colorEnabled', () => {
  it.each([
    [{ isTTY: true, env: {}, flag: true }, true],
    [{ isTTY: false, env: {}, flag: true }, false],
    [{ isTTY: true, env: {}, flag: false }, false],
    [{ isTTY: true, env: { NO_COLOR: '1' }, flag: true }, false],
    [{ isTTY: true, env: { NO_COLOR: '' }, flag: true }, true],
    [{ isTTY: true, env: { FORCE_COLOR: '0' }, flag: true }, false],
    [{ isTTY: false, env: { FORCE_COLOR: '1' }, flag: true }, true],
    [{ isTTY: false, env: { FORCE_COLOR: '1' }, flag: false }, false],
    [{ isTTY: true, env: { FORCE_COLOR: '1', NO_COLOR: 'x' }, flag: true }, false],
    [{ isTTY: true, env: { TERM: 'dumb' }, flag: true }, false],
  ])('%j → %s', (facts, expected) => {
    expect(colorEnabled(facts)).toBe(expected);
  });
});

describe('colorLevel: the level chalk draws at', () => {
  it.each([
    [{ isTTY: true, env: {}, flag: true }, 1],
    [{ isTTY: false, env: {}, flag: true }, 0],
    [{ isTTY: false, env: { FORCE_COLOR: '2' }, flag: true }, 2],
    [{ isTTY: true, env: { FORCE_COLOR: '3' }, flag: true }, 3],
    [{ isTTY: true, env: { FORCE_COLOR: '3', NO_COLOR: '1' }, flag: true }, 0],
    [{ isTTY: true, env: { FORCE_COLOR: '3' }, flag: false }, 0],
    [{ isTTY: true, env: { FORCE_COLOR: 'true' }, flag: true }, 1],
    // COLORTERM is chalk's clue for truecolor: anchor writes only the basic colours, so it stays at 1.
    [{ isTTY: true, env: { COLORTERM: 'truecolor' }, flag: true }, 1],
  ])('%j → %s', (facts, expected) => {
    expect(colorLevel(facts)).toBe(expected);
  });
});
