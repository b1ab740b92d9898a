// vitest globalSetup: one loud line when tests will be skipped for want of a tool (see tools.ts),
// at the start of the run and again at its end; with CI set, a missing tool fails the run.
import { missingTools, PACKAGES } from './tools.js';

export default function setup(): () => void {
  if (process.env.ANCHOR_SUITE_TOOLS_CHECKED) return () => {};
  process.env.ANCHOR_SUITE_TOOLS_CHECKED = '1';
  const missing = missingTools();
  if (missing.length === 0) return () => {};
  const line = `SKIPPED: the tests that need ${missing.join(', ')} (missing here). Install them to run them: sudo apt-get install ${missing.map((t) => PACKAGES[t] ?? t).join(' ')} (see scripts/test-deps.sh).`;
  if (process.env.CI) throw new Error(`${missing.join(', ')} missing, and CI is set: run scripts/test-deps.sh as root`);
  process.stderr.write(`\n${line}\n\n`);
  return () => process.stderr.write(`\n${line}\n\n`);
}
