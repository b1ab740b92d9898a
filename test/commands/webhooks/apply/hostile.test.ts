// `anchor webhooks apply -f` on hostile files: nesting thousands deep is named with its place (not
// a stack overflow at 1:1), a file of countless bad entries lists its first problems and counts
// the rest, and YAML syntax errors point at their own line. Nothing reaches the API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../helpers/io.js';
import { startScriptServer, type ScriptServer } from '../../../helpers/script-server.js';
import { MAX_LISTED_PROBLEMS, MAX_NESTING, parseApplyFile } from '../../../../src/commands/webhooks/apply/file.js';

const DEEP = 100_000;
const A = 'https://hooks.example.com/a';

let api: ScriptServer;
let dir: string;
beforeEach(async () => {
  // Any request at all fails the test: a bad file is refused before the API is asked anything.
  api = await startScriptServer();
  dir = mkdtempSync(join(tmpdir(), 'anchor-apply-hostile-'));
});
afterEach(async () => {
  expect(api.unexpected).toEqual([]);
  await api.close();
});

async function apply(file: string, text: string) {
  const path = join(dir, file);
  writeFileSync(path, text);
  const env = {
    ANCHOR_API_URL: api.url,
    ANCHOR_API_KEY: 'apply-hostile-key-1234',
    ANCHOR_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'anchor-cfg-')),
  };
  return { path, ...(await runCli(['webhooks', 'apply', '-f', path, '--dry-run'], { env })) };
}

/** The problem lines of a file error, without the header and the hint. */
const problemLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('  '));

function problemsOf(text: string, name = 'f'): string {
  try {
    parseApplyFile(text, name, { allowLocalTargets: false });
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('a file nested too deep', () => {
  it.each([
    ['JSON, 100,000 nested [', 'deep.json', `{"webhooks": ${'['.repeat(DEEP)}${']'.repeat(DEEP)}}`, '1:77'],
    ['YAML flow, 100,000 nested [', 'deep.yaml', `webhooks: ${'['.repeat(DEEP)}${']'.repeat(DEEP)}\n`, '1:74'],
    ['YAML, 100,000 `- ` levels', 'seq.yaml', `webhooks:\n  ${'- '.repeat(DEEP)}x\n`, '2:129'],
    ['YAML, 100,000 `a:` levels', 'map.yaml', `webhooks:\n  - ${'a: '.repeat(DEEP)}x\n`, '2:191'],
  ])('%s: says it is nested too deep, with the place, exit 2, no stack overflow', async (_, file, text, place) => {
    const r = await apply(file, text);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/call stack|RangeError|\bat .*\.js:\d+/);
    expect(problemLines(r.stderr)).toEqual([
      `  ${r.path}:${place}: nested more than ${MAX_NESTING} levels deep here; an apply file needs 4 (webhooks: [{url, events: [...]}])`,
    ]);
    expect(r.stdout).toBe('');
  });

  it(`a block nesting of ${MAX_NESTING + 1} indented levels is refused at the first level past ${MAX_NESTING}; ${MAX_NESTING} levels are only checked as usual`, () => {
    const indented = (levels: number) => {
      let text = 'webhooks:\n';
      for (let i = 1; i < levels; i++) text += `${' '.repeat(i)}k${i}:\n`;
      return `${text}${' '.repeat(levels)}x\n`;
    };
    expect(problemsOf(indented(MAX_NESTING + 1))).toContain(
      `f:${MAX_NESTING + 1}:${MAX_NESTING + 1}: nested more than ${MAX_NESTING} levels deep here`,
    );
    const atLimit = problemsOf(indented(MAX_NESTING));
    expect(atLimit).not.toContain('nested more than');
    expect(atLimit).toContain('f:2:2: webhooks: must be a list of webhooks');
    const flowAtLimit = `{"webhooks": ${'['.repeat(MAX_NESTING - 1)}"x"${']'.repeat(MAX_NESTING - 1)}}`;
    expect(problemsOf(flowAtLimit)).toContain('f:1:15: webhooks[0]: must be a mapping with `url` and `events`');
  });
});

describe('a file with a great many problems', () => {
  it(`lists the first ${MAX_LISTED_PROBLEMS} problems in file order, then counts the rest (not megabytes of errors)`, async () => {
    const entries = 5_000;
    const text = `webhooks:\n${'- colour: red\n'.repeat(entries)}`;
    const r = await apply('many.yaml', text);
    expect(r.code).toBe(2);
    // Each entry: the unknown key, no url, no events; and the file: too many webhooks.
    const total = entries * 3 + 1;
    expect(r.stderr).toContain(`many.yaml has ${total} problems; nothing was sent:`);
    const lines = problemLines(r.stderr);
    expect(lines).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(lines[1]).toBe(
      `  ${r.path}:2:3: webhooks[0].colour: unknown key "colour". The keys are id, url, events, description, enabled.`,
    );
    expect(lines.at(-1)).toBe(`  … and ${total - MAX_LISTED_PROBLEMS} more problems`);
    expect(r.stderr.length).toBeLessThan(10_000);
  });

  it('a short list is shown whole, with no count line', () => {
    const message = problemsOf(`webhooks:\n- {url: ${A}, events: [task.completed], colour: red}\n`);
    expect(message).toContain('f has 1 problem; nothing was sent:');
    expect(message).not.toContain('more problem');
  });
});

describe('YAML syntax errors', () => {
  it('are placed at their own line and column, not at 1:1', () => {
    const message = problemsOf(
      `webhooks:\n  - url: ${A}\n    url: ${A}/b\n    events: [task.completed\n`,
      'syntax.yaml',
    );
    expect(message).toContain('syntax.yaml:3:5: Map keys must be unique');
    expect(message).toMatch(/syntax\.yaml:5:1: Flow sequence .* end with a \]/);
    expect(message).not.toContain('syntax.yaml:1:1');
  });

  it('a second document in the file is a problem with its place', () => {
    const message = problemsOf(`webhooks: []\n---\nwebhooks: []\n`, 'two.yaml');
    expect(message).toContain('two.yaml:2:1: the file holds more than one YAML document');
  });
});
