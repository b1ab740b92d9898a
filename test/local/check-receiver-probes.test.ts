// The re-serialised forms check-receiver probes with, against the encoders they imitate: a probe
// that Python's json.dumps would not write byte for byte would tell nothing about a Flask app.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pythonDumps, sortedCompact } from '../../src/local/check-receiver-probes.js';

const PYTHON = '/usr/bin/python3';
const value = {
  type: 'task.completed',
  text: 'Tâche « finie » \u2014 ok 🚀 "quoted" back\\slash\ttab\u007f/',
  data: { z: [1, -2, 3.5, true, false, null], a: { nested: 'é', empty: {} }, list: [] },
  id: 'evt_0123',
};

/** What Python's own json module writes for the same JSON. */
function python(code: string): string {
  const r = spawnSync(PYTHON, ['-c', `import json,sys; v=json.loads(sys.stdin.read()); sys.stdout.write(${code})`], {
    input: JSON.stringify(value),
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe.skipIf(!existsSync(PYTHON))('re-serialised forms, byte for byte', () => {
  it("pythonDumps is json.dumps with its defaults (', ', ': ', every non-ASCII escaped)", () => {
    expect(pythonDumps(value)).toBe(python('json.dumps(v)'));
  });
  it('sortedCompact is json.dumps with sorted keys and compact separators', () => {
    expect(sortedCompact(value)).toBe(
      python("json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=False)"),
    );
  });
});
