// style(): chalk draws the colour, at the level lib/color.ts decides, with the bytes anchor wrote
// before chalk (the basic SGR pairs), and only after loadColour() has loaded it.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as FormatModule from '../../src/ui/format.js';

const ESC = '\u001b[';

// A fresh copy of the module per test: whether chalk is loaded is module state.
let format: typeof FormatModule;
beforeEach(async () => {
  vi.resetModules();
  format = await import('../../src/ui/format.js');
});

describe('style()', () => {
  it('without colour, every style returns its text unchanged, and chalk need not be loaded', () => {
    for (const off of [false, 0] as const) {
      const s = format.style(off);
      for (const f of [s.bold, s.dim, s.green, s.red, s.yellow, s.cyan]) expect(f('text')).toBe('text');
    }
  });

  it('asking for colour before loadColour() is a bug, said plainly', () => {
    expect(() => format.style(true)).toThrow(/before loadColour\(\)/);
  });

  it.each([true, 1, 2, 3] as const)('with colour (%s), the same SGR pairs as before chalk', async (level) => {
    await format.loadColour();
    const s = format.style(level);
    expect(s.bold('x')).toBe(`${ESC}1mx${ESC}22m`);
    expect(s.dim('x')).toBe(`${ESC}2mx${ESC}22m`);
    expect(s.green('x')).toBe(`${ESC}32mx${ESC}39m`);
    expect(s.red('x')).toBe(`${ESC}31mx${ESC}39m`);
    expect(s.yellow('x')).toBe(`${ESC}33mx${ESC}39m`);
    expect(s.cyan('x')).toBe(`${ESC}36mx${ESC}39m`);
  });

  it('a style inside another that shares its close code leaves the outer one on (chalk re-opens it)', async () => {
    await format.loadColour();
    const s = format.style(true);
    expect(s.bold(`a ${s.dim('b')} c`)).toBe(`${ESC}1ma ${ESC}2mb${ESC}22m${ESC}1m c${ESC}22m`);
    expect(s.red(`a ${s.green('b')} c`)).toBe(`${ESC}31ma ${ESC}32mb${ESC}39m${ESC}31m c${ESC}39m`);
  });

  it('multi-line text is styled line by line, so a paged or cut line never leaves the terminal dim', async () => {
    await format.loadColour();
    expect(format.style(true).dim('{\n  "a": 1\n}')).toBe(
      `${ESC}2m{${ESC}22m\n${ESC}2m  "a": 1${ESC}22m\n${ESC}2m}${ESC}22m`,
    );
  });
});
