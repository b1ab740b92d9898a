// The action's own parts, in process: the `args` input split as a shell splits words (never run by
// one), and the runner's file format for outputs, state and environment, whatever the value holds.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitArgs } from '../../action/src/args.js';
import { ActionError, addMask, escapeData, setOutput } from '../../action/src/runner.js';
import { readFileCommands } from './runner.js';

describe('splitArgs', () => {
  it.each([
    ['--until task.completed --match data.task_id=123', ['--until', 'task.completed', '--match', 'data.task_id=123']],
    ["  webhooks apply -f 'my hooks.yaml'\n  --dry-run ", ['webhooks', 'apply', '-f', 'my hooks.yaml', '--dry-run']],
    ['--match "data.text=a \\"b\\" $HOME"', ['--match', 'data.text=a "b" $HOME']],
    ["--match data.x=''", ['--match', 'data.x=']],
    ['a\\ b c\\\nd', ['a b', 'cd']],
    ['$(rm -rf /) `id` ;&&|', ['$(rm', '-rf', '/)', '`id`', ';&&|']],
    ['', []],
  ])('%j', (line, words) => {
    expect(splitArgs(line)).toEqual(words);
  });

  it.each([
    ["--match 'data.x=1", "args has a ' that is never closed (at character 9)"],
    ['--match "data.x=1', 'args has a " that is never closed'],
    ['--until task.completed \\', 'args ends with a lone backslash'],
  ])('refuses %j', (line, message) => {
    expect(() => splitArgs(line)).toThrow(ActionError);
    expect(() => splitArgs(line)).toThrow(message);
  });
});

describe('the runner protocol', () => {
  it('a value with lines, a delimiter look-alike or a name=value line cannot add another output', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'anchor-action-out-')), 'output');
    writeFileSync(file, '');
    const env = { GITHUB_OUTPUT: file };
    const hostile = '{"a": 1}\nexit-code=0\nghadelimiter_x\njson<<EOF\n';
    setOutput(env, 'json', hostile);
    setOutput(env, 'exit-code', '3');
    expect(readFileCommands(file)).toEqual({ json: hostile, 'exit-code': '3' });
  });

  it('says which file is missing outside a runner', () => {
    expect(() => setOutput({}, 'json', '{}')).toThrow('GITHUB_OUTPUT is not set, so the action cannot hand on "json"');
  });

  it('masks each line of a secret, escaped as workflow command data', () => {
    const out: string[] = [];
    addMask({ out: (t) => out.push(t), err: () => undefined }, 'k%1\nk2\r\n');
    expect(out).toEqual(['::add-mask::k%251\n', '::add-mask::k2\n']);
    expect(escapeData('50%\r\nnext')).toBe('50%25%0D%0Anext');
  });
});
