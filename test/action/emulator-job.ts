// The emulator and the job every action test runs against: the key (to check it is masked), the
// inputs of a step, and what the project holds, read with the CLI.
import { afterAll, beforeAll, expect } from 'vitest';
import { startCheckedEmulator, type CheckedEmulator } from '../helpers/checked-emulator.js';
import { runBin } from '../helpers/bin.js';
import { newJob, type StepResult } from './runner.js';

export const KEY = 'anchor-action-test-key-5f0c1d';
let emu: CheckedEmulator;

/** Starts the emulator for the file's tests (loopback targets allowed), and checks its answers at the end. */
export function useEmulator(): void {
  beforeAll(async () => {
    emu = await startCheckedEmulator({ apiKeys: [KEY] });
  });
  afterAll(async () => {
    await emu.close();
    expect(emu.violations).toEqual([]);
  });
}

/** A job whose listen may register loopback URLs (the emulator delivers on loopback). */
export const job = (extra: Record<string, string> = {}) => newJob({ ANCHOR_ALLOW_LOCAL_TARGETS: '1', ...extra });
export const inputs = (mode: string, args: string, more: Record<string, string> = {}) => ({
  mode,
  args,
  'api-key': KEY,
  'api-url': emu.url,
  ...more,
});

/** The key is announced once, first, as a mask; it is in no other line the step printed. */
export function expectMaskedFirst(step: StepResult): void {
  expect(step.stdout.split('\n')[0]).toBe(`::add-mask::${KEY}`);
  expect(step.stdout.split(KEY)).toHaveLength(2);
  expect(step.stderr).not.toContain(KEY);
  for (const value of Object.values(step.outputs)) expect(value).not.toContain(KEY);
}

/** anchor, as a user would run it against the emulator. */
export const anchor = (args: string[]) =>
  runBin(args, { env: { ...newJob().env, ANCHOR_API_URL: emu.url, ANCHOR_API_KEY: KEY } });

export async function webhooks(): Promise<{ id: string; url: string }[]> {
  const r = await anchor(['webhooks', 'list', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { id: string; url: string }[];
}

/** A real event from the emulator to every subscribed webhook; resolves with its envelope id. */
export async function emit(type: string, data: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${emu.url}/_emulator/events`, {
    method: 'POST',
    headers: { 'anchor-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ type, data }),
  });
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { id: string }).id;
}
