// Two (or sixteen) anchor processes writing the config at once lose nothing.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, runBin } from '../helpers/bin.js';

describe('config under concurrent writers', () => {
  it('16 processes logging in to 16 profiles at once: every key is kept', async () => {
    const env = isolatedEnv();
    const n = 16;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        runBin(['auth', 'login', '--with-key', '--no-verify', '--profile', `p${i}`], {
          env,
          input: `key-${i}-0123456789`,
        }),
      ),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const dir = join(env.XDG_CONFIG_HOME!, 'anchor');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      profiles: Record<string, { 'api-key': string }>;
    };
    expect(Object.keys(config.profiles).sort()).toEqual(Array.from({ length: n }, (_, i) => `p${i}`).sort());
    for (let i = 0; i < n; i++) expect(config.profiles[`p${i}`]!['api-key']).toBe(`key-${i}-0123456789`);
    // No lock or temporary file is left behind.
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('settings and keys written at once by different commands are all kept', async () => {
    const env = isolatedEnv();
    const jobs = [];
    for (let i = 0; i < 8; i++) {
      jobs.push(runBin(['config', 'set', 'api-url', `http://127.0.0.1:${4000 + i}`, '--profile', `s${i}`], { env }));
      jobs.push(
        runBin(['auth', 'login', '--with-key', '--no-verify', '--profile', `s${i}`], { env, input: `k-${i}-abcdef` }),
      );
    }
    for (const r of await Promise.all(jobs)) expect(r.code, r.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(env.XDG_CONFIG_HOME!, 'anchor', 'config.json'), 'utf8')) as {
      profiles: Record<string, Record<string, string>>;
    };
    for (let i = 0; i < 8; i++)
      expect(config.profiles[`s${i}`]).toEqual({
        'api-url': `http://127.0.0.1:${4000 + i}`,
        'api-key': `k-${i}-abcdef`,
      });
  });
});
