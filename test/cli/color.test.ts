import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../src/lib/color.js';

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
