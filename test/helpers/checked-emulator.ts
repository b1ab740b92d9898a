// An in-process emulator whose every /v1 response is checked against the OpenAPI document; the
// violations are collected, and a suite asserts there are none.
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server.js';
import { assertMatchesSpec } from './openapi.js';

export interface CheckedEmulator extends RunningEmulator {
  violations: string[];
  responses: () => number;
}

export async function startCheckedEmulator(options: Partial<EmulatorOptions> = {}): Promise<CheckedEmulator> {
  const violations: string[] = [];
  let count = 0;
  const emu = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    allowLocalTargets: true,
    retryDelaysMs: [5],
    ...options,
    onResponse: (method, path, status, body) => {
      if (!path.startsWith('/v1/')) return;
      count++;
      try {
        assertMatchesSpec(method, path, status, body);
      } catch (e) {
        violations.push((e as Error).message);
      }
    },
  });
  return Object.assign(emu, { violations, responses: () => count });
}
