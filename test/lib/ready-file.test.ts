// The --ready-file writer when something is planted at the path between the check and the write:
// a link is replaced (its target untouched), a FIFO is replaced without blocking, and a regular
// file of one's own is replaced as before; the check refuses what is not a regular file.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkReadyFile, writeReadyFile } from '../../src/lib/ready-file.js';
import { UsageError } from '../../src/errors.js';

const folder = () => mkdtempSync(join(tmpdir(), 'anchor-ready-unit-'));

describe('writeReadyFile', () => {
  it('replaces a symbolic link planted at the path, not its target', () => {
    const dir = folder();
    writeFileSync(join(dir, 'target'), 'precious');
    symlinkSync(join(dir, 'target'), join(dir, 'ready'));
    writeReadyFile(join(dir, 'ready'), 'http://127.0.0.1:1/\n');
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('precious');
    expect(lstatSync(join(dir, 'ready')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'ready'), 'utf8')).toBe('http://127.0.0.1:1/\n');
    expect(readdirSync(dir).sort()).toEqual(['ready', 'target']);
  });

  it('replaces a FIFO planted at the path without blocking on it', () => {
    const dir = folder();
    expect(spawnSync('mkfifo', [join(dir, 'ready')]).status).toBe(0);
    writeReadyFile(join(dir, 'ready'), 'url\n');
    expect(lstatSync(join(dir, 'ready')).isFile()).toBe(true);
    expect(readFileSync(join(dir, 'ready'), 'utf8')).toBe('url\n');
  });

  it('replaces a regular file, and creates a new one with the mode writeFileSync gave (0666 less the umask)', () => {
    const dir = folder();
    writeFileSync(join(dir, 'old'), 'stale');
    writeReadyFile(join(dir, 'old'), 'fresh');
    expect(readFileSync(join(dir, 'old'), 'utf8')).toBe('fresh');
    writeReadyFile(join(dir, 'new'), 'x');
    const umask = process.umask();
    expect(lstatSync(join(dir, 'new')).mode & 0o777).toBe(0o666 & ~umask);
  });
});

describe('checkReadyFile', () => {
  it('passes a new path or a regular file, and refuses a link, a FIFO, a folder or a missing folder', () => {
    const dir = folder();
    expect(() => checkReadyFile(join(dir, 'new'))).not.toThrow();
    writeFileSync(join(dir, 'file'), '');
    expect(() => checkReadyFile(join(dir, 'file'))).not.toThrow();
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(() => checkReadyFile(join(dir, 'dangling'))).toThrow(/is a symbolic link/);
    mkdirSync(join(dir, 'sub'));
    expect(() => checkReadyFile(join(dir, 'sub'))).toThrow(/is a folder/);
    expect(() => checkReadyFile(join(dir, 'missing', 'ready'))).toThrow(UsageError);
    expect(() => checkReadyFile(join(dir, 'missing', 'ready'))).toThrow(/does not exist/);
  });
});
