// Ids as file names: only the safe set passes, the path stays directly in its folder, and a new
// name is never given over an existing file (nor through a link planted there).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileForId, moveToNewName, quoteId, unsafeIdReason } from '../../src/lib/safe-name.js';

describe('safe ids as file names', () => {
  it('passes the ids the API and the record make, and refuses the rest with why', () => {
    for (const id of [
      'wh_01HXJ4MZ7K9P3Q6R8S2T4V5W7Y',
      'evt_40c14262540e81cf5e2ebe02',
      '5d2c31f6-ab7e-481a-b6fd-8b4a96a4e197',
    ])
      expect(unsafeIdReason(id), id).toBeUndefined();
    expect(unsafeIdReason('../outside/x')).toMatch(/characters other than/);
    expect(unsafeIdReason('..')).toMatch(/characters other than/);
    expect(unsafeIdReason('-h')).toBe('it starts with "-"');
    expect(unsafeIdReason('a\u202eb')).toMatch(/characters other than/);
    expect(unsafeIdReason('x'.repeat(129))).toBe('it is longer than 128 characters');
    expect(unsafeIdReason(undefined)).toBe('it is empty');
    expect(quoteId('a\u202eb')).toBe('"a\\u202eb"');
  });

  it('a file for an id is directly in its folder, or none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-safe-name-'));
    expect(fileForId(dir, 'wh_1', '.secret')).toBe(join(dir, 'wh_1.secret'));
    expect(fileForId(dir, '../x', '.secret')).toBeUndefined();
    expect(fileForId(dir, 'wh_1', '/../../x')).toBeUndefined();
  });

  it('moveToNewName never replaces a file or a link at the new name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anchor-safe-name-'));
    writeFileSync(join(dir, 'pending'), 'new secret');
    writeFileSync(join(dir, 'taken'), 'old');
    expect(() => moveToNewName(join(dir, 'pending'), join(dir, 'taken'))).toThrow(/EEXIST/);
    writeFileSync(join(dir, 'target'), 'precious');
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    expect(() => moveToNewName(join(dir, 'pending'), join(dir, 'link'))).toThrow(/EEXIST/);
    expect(readFileSync(join(dir, 'taken'), 'utf8')).toBe('old');
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('precious');
    moveToNewName(join(dir, 'pending'), join(dir, 'wh_1.secret'));
    expect(readFileSync(join(dir, 'wh_1.secret'), 'utf8')).toBe('new secret');
  });
});
