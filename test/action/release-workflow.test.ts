// The release workflow (.github/workflows/release.yml) parses, runs on a v* tag, and runs the steps
// docs/release.md's "Cutting a release" names, in that order: the doc and the workflow cannot drift.
// What the steps do that a release depends on (the CI gate, the tarball, the binary, the four files
// uploaded) is checked by the command each one runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/bin.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { push: { tags: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[]; 'timeout-minutes': number }>;
}

const workflow = parse(readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8')) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const step = (name: string): Step => {
  const found = steps.find((s) => s.name === name);
  if (!found) throw new Error(`release.yml has no step "${name}"`);
  return found;
};

/** The bold names of the numbered list in the last section of docs/release.md, "Cutting a release". */
function documentedSteps(): string[] {
  const doc = readFileSync(join(ROOT, 'docs/release.md'), 'utf8');
  const at = doc.lastIndexOf('\n## Cutting a release\n');
  const section = at >= 0 ? doc.slice(at + 1) : doc.startsWith('## Cutting a release\n') ? doc : '';
  expect(section, 'docs/release.md ends with a "## Cutting a release" section').not.toBe('');
  expect(section.slice(1), 'no section after "Cutting a release"').not.toMatch(/\n## /);
  return [...section.matchAll(/^\d+\. \*\*(.+?)\*\*/gm)].map((m) => m[1]!);
}

describe('the release workflow', () => {
  it('runs on a v* tag, with one job, a deadline and the right to create a release', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.permissions).toEqual({ contents: 'write' });
    const [job, ...others] = Object.values(workflow.jobs);
    expect(others).toEqual([]);
    expect(job!['timeout-minutes']).toBeGreaterThan(0);
  });

  it("names every step, and they are docs/release.md's, in its order", () => {
    for (const s of steps) expect(s.name, JSON.stringify(s)).toBeTruthy();
    const documented = documentedSteps();
    expect(documented.length).toBeGreaterThanOrEqual(5);
    expect(steps.map((s) => s.name)).toEqual(documented);
  });

  it('gates on CI, then packs the tarball and builds the binary, then uploads both with their checksums', () => {
    expect(step('Check out the tag').uses).toMatch(/^actions\/checkout@/);
    expect(step('Set up Node').uses).toMatch(/^actions\/setup-node@/);
    expect(step('Check the tag is the package version').run).toContain('"$GITHUB_REF_NAME" != "v$version"');
    expect(step('Install dependencies').run).toMatch(/^npm ci\b/);
    expect(step('Run CI').run).toBe('bash .ci/run');
    expect(step('Pack the npm tarball').run).toMatch(/^npm pack$/m);
    expect(step('Build the single executables').run).toBe('npm run build:binary -- --all');
    expect(step('Smoke-test the executables').run).toContain('sha256sum -c anchor-*.sha256');
    const publish = step('Publish the GitHub release');
    expect(publish.uses).toMatch(/^softprops\/action-gh-release@v\d+$/);
    // Each target build:binary --all makes (scripts/bun.mjs's BUN_TARGETS), named one by one: with
    // fail_on_unmatched_files, a binary that was not built fails the upload.
    const targets = Object.keys(
      JSON.parse(
        /export const BUN_TARGETS = (\{[^}]*\});/
          .exec(readFileSync(join(ROOT, 'scripts/bun.mjs'), 'utf8'))![1]!
          .replace(/'/g, '"')
          .replace(/,\s*\}/, '}'),
      ) as Record<string, string>,
    );
    expect(targets).toContain('linux-x64');
    const binaries = targets.map((t) => `dist/bin/anchor-${t}${t.startsWith('windows-') ? '.exe' : ''}`);
    expect(String(publish.with!.files).trim().split('\n')).toEqual([
      'anchor-webhooks-cli-*.tgz',
      'anchor-webhooks-cli-*.tgz.sha256',
      ...binaries.flatMap((b) => [b, `${b}.sha256`]),
    ]);
    expect(publish.with!.fail_on_unmatched_files).toBe(true);
    const order = (name: string) => steps.findIndex((s) => s.name === name);
    expect(order('Run CI')).toBeLessThan(order('Pack the npm tarball'));
    expect(order('Build the single executables')).toBeLessThan(order('Publish the GitHub release'));
  });
});
