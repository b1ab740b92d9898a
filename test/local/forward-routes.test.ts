// listen's routes by event type: which values are routes, what a pattern matches, and which route
// an event takes (the first pattern that matches, then the default, else none).
import { describe, expect, it } from 'vitest';
import {
  routeFor,
  routesProblem,
  splitForwardValue,
  typeMatches,
  type ForwardRoute,
} from '../../src/local/forward-routes.js';
import { patternProblem } from '../../src/commands/webhooks/listen/routes.js';

describe('splitForwardValue', () => {
  it.each([
    ['task.*=http://localhost:3000/tasks', { pattern: 'task.*', url: 'http://localhost:3000/tasks' }],
    ['session.ready=http://x/?a=b', { pattern: 'session.ready', url: 'http://x/?a=b' }],
    ['*=http://x/', { pattern: '*', url: 'http://x/' }],
    ['http://localhost:3000/?a=b', { url: 'http://localhost:3000/?a=b' }],
    ['foo://x=y', { url: 'foo://x=y' }],
    ['http://x/?type=task.*', { url: 'http://x/?type=task.*' }],
    ['task-x=http://x/', { url: 'task-x=http://x/' }],
    ['=http://x/', { url: '=http://x/' }],
  ])('%s', (value, expected) => {
    expect(splitForwardValue(value)).toEqual(expected);
  });
});

describe('typeMatches', () => {
  it.each([
    ['task.*', 'task.completed', true],
    ['task.*', 'session.ready', false],
    ['session.*', 'session.recording.ready', true],
    ['*', 'batch.failed', true],
    ['*.failed', 'task.failed', true],
    ['*.failed', 'task.completed', false],
    ['task.completed', 'task.completed', true],
    ['task.completed', 'task.completedx', false],
    // A dot is a dot, not "any character".
    ['task.*', 'taskXcompleted', false],
  ])('%s against %s: %s', (pattern, type, expected) => {
    expect(typeMatches(pattern, type)).toBe(expected);
  });
});

describe('routeFor', () => {
  const u = (p: string) => new URL(`http://127.0.0.1:3000/${p}`);
  const routes: ForwardRoute[] = [
    { pattern: 'task.failed', url: u('failures') },
    { pattern: 'task.*', url: u('tasks') },
    { url: u('other') },
    { pattern: '*', url: u('never') },
  ];
  it('takes the first pattern that matches, in the order given', () => {
    expect(routeFor(routes, 'task.failed')?.url.pathname).toBe('/failures');
    expect(routeFor(routes, 'task.completed')?.url.pathname).toBe('/tasks');
  });
  it('takes a later pattern before the default, wherever the default was given', () => {
    expect(routeFor(routes, 'session.ready')?.url.pathname).toBe('/never');
  });
  it('takes the default when no pattern matches, and nothing without one', () => {
    expect(routeFor(routes.slice(0, 3), 'session.ready')?.url.pathname).toBe('/other');
    expect(routeFor(routes.slice(0, 2), 'session.ready')).toBeUndefined();
  });
});

describe('what is refused', () => {
  it('two defaults, naming both; one pattern twice, naming both targets', () => {
    expect(routesProblem([{ url: new URL('http://a/') }, { url: new URL('http://b/') }])).toMatch(
      /two default targets, http:\/\/a\/ and http:\/\/b\//,
    );
    expect(
      routesProblem([
        { pattern: 'task.*', url: new URL('http://a/') },
        { pattern: 'task.*', url: new URL('http://b/') },
      ]),
    ).toMatch(/two routes for task\.\*, to http:\/\/a\/ and http:\/\/b\//);
    expect(routesProblem([{ pattern: 'task.*', url: new URL('http://a/') }, { url: new URL('http://b/') }])).toBe(
      undefined,
    );
  });
  it('a pattern that matches no type of the catalog, with a suggestion', () => {
    expect(patternProblem('task.*')).toBeUndefined();
    expect(patternProblem('*')).toBeUndefined();
    expect(patternProblem('tsk.*')).toMatch(/matches no Anchor event type\. Did you mean "task\.\*"/);
    expect(patternProblem('task.done')).toMatch(/matches no Anchor event type/);
  });
});
