// Recognising a receiver's framework from its answers, and the fixes worded for it: that
// framework's way alone when an answer says which, else the way of each.
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, frameworkFix, recogniseFramework } from '../../src/core/receiver-frameworks.js';

const answer = (headers: Record<string, string>, body = '') => ({ headers, body });

describe('recogniseFramework', () => {
  it.each([
    [{ 'x-powered-by': 'Express' }, '', 'express', 'X-Powered-By: Express'],
    [{ 'x-powered-by': 'Next.js' }, '', 'nextjs', 'X-Powered-By: Next.js'],
    [{ server: 'uvicorn' }, '', 'fastapi', 'Server: uvicorn'],
    [{ server: 'Werkzeug/2.2.2 Python/3.11.2' }, '', 'flask', 'Server: Werkzeug/2.2.2 Python/3.11.2'],
    [{ server: 'WSGIServer/0.2 CPython/3.11.2' }, '', 'django', 'Server: WSGIServer/0.2 CPython/3.11.2'],
    [
      { 'content-type': 'application/json' },
      '{"statusCode":413,"code":"FST_ERR_CTP_BODY_TOO_LARGE","error":"Payload Too Large","message":"Request body is too large"}',
      'fastify',
      'an FST_ error code in its answer',
    ],
  ])('%o %s → %s', (headers, body, id, by) => {
    expect(recogniseFramework([answer({}), answer(headers, body)])).toEqual({ id, by });
  });

  it('says nothing when no answer names a framework (Hono, a proxy, a custom server)', () => {
    expect(recogniseFramework([answer({ server: 'nginx' }), answer({ 'content-type': 'text/plain' }, 'ok')])).toBe(
      undefined,
    );
    expect(recogniseFramework([])).toBe(undefined);
  });
});

describe('frameworkFix', () => {
  const raw = (path: string) => (f: (typeof FRAMEWORKS)[number]) => f.rawBody(path);

  it("gives the recognised framework's way alone, with the route of the URL checked", () => {
    const fix = frameworkFix('Verify the raw bytes.', raw('/hooks/anchor'), {
      id: 'express',
      by: 'X-Powered-By: Express',
    });
    expect(fix).toContain(
      "Express (recognised by X-Powered-By: Express): register `app.post('/hooks/anchor', express.raw({ type: 'application/json', limit: '1mb' }), handler)` BEFORE `app.use(express.json())`",
    );
    expect(fix).not.toContain('\n');
    for (const other of ['Fastify', 'Hono', 'Flask', 'FastAPI', 'Django']) expect(fix).not.toContain(other);
  });

  it('lists the way of each framework, a line each, when none was recognised', () => {
    const lines = frameworkFix('Verify the raw bytes.', raw('/h'), undefined).split('\n');
    expect(lines.slice(1).map((l) => l.split(':')[0])).toEqual(FRAMEWORKS.map((f) => f.name));
    expect(lines.find((l) => l.startsWith('Flask:'))).toContain('`raw = request.get_data()`');
    expect(lines.find((l) => l.startsWith('FastAPI:'))).toContain('`raw = await request.body()`');
    expect(lines.find((l) => l.startsWith('Django:'))).toContain('`raw = request.body`');
  });

  it("quotes a route's path as a JavaScript string, whatever it holds", () => {
    expect(FRAMEWORKS[0]!.rawBody("/a'b\\c")).toContain("app.post('/a\\'b\\\\c', express.raw(");
  });
});
