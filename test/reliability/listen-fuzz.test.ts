// Fuzzing the request path of `listen` and the inputs of `verify`: generated headers and bodies,
// signed and unsigned, never crash the check, never cost more than it may, and over a real socket
// every answer is one of the contract's statuses while serving goes on. A regression corpus of
// inputs that once broke something is replayed on every run.
//
// FUZZ_RUNS sets the number of generated inputs per property (CI runs a short pass; the 100,000-run
// pass is `FUZZ_RUNS=100000 npx vitest run test/reliability/listen-fuzz.test.ts`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { startReceiver } from '../../src/local/receiver.js';
import type { RunningReceiver } from '../../src/local/receiver-types.js';
import { checkDelivery } from '../../src/local/delivery-checks.js';
import { diagnose, verifyDelivery } from '../../src/core/verify.js';
import { computeSignature } from '../../src/core/signature.js';
import { verifyDelivery as independentVerify } from '../helpers/verifier.js';

// About 1 ms a run at the most, plus the usual 20 s.
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const TIMEOUT = 20_000 + RUNS;
const SECRETS = ['fuzz-secret-0123456789abcdef', 'fuzz-previous-secret'];
const NOW = 1_795_000_000;

interface CorpusCase {
  why: string;
  headers: Record<string, string>;
  body?: string;
  body_base64?: string;
  body_repeat?: [string, number];
  signed?: boolean;
}
const corpus = (
  JSON.parse(readFileSync(new URL('../fixtures/fuzz/listen-corpus.json', import.meta.url), 'utf8')) as {
    cases: CorpusCase[];
  }
).cases;

function materialise(c: CorpusCase, now: number): { headers: Record<string, string>; body: Buffer } {
  const body =
    c.body_base64 !== undefined
      ? Buffer.from(c.body_base64, 'base64')
      : c.body_repeat
        ? Buffer.from(c.body_repeat[0].repeat(c.body_repeat[1]))
        : Buffer.from(c.body ?? '');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.headers)) headers[k] = v.replaceAll('NOW', String(now));
  headers['anchor-timestamp'] ??= String(now);
  if (c.signed)
    headers['anchor-signature'] ??=
      `t=${headers['anchor-timestamp']},v1=${computeSignature(SECRETS[0]!, headers['anchor-timestamp'], body)}`;
  return { headers, body };
}

// Generators: the shapes a stranger (or a broken sender) might put in each place.
const digits = fc.stringMatching(/^[0-9]{1,40}$/);
const timestampText = fc.oneof(
  { arbitrary: fc.constant(String(NOW)), weight: 12 },
  fc.integer({ min: NOW - 400, max: NOW + 400 }).map(String),
  digits,
  fc.constantFrom(
    '',
    '-1',
    '1.5',
    '1e3',
    ' 1795000000 ',
    '0x1F',
    'NaN',
    'Infinity',
    '9999999999999999',
    '1795000000000',
  ),
  fc.string({ maxLength: 30 }),
);
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const v1Value = fc.oneof(hex64, fc.string({ maxLength: 70 }), fc.constant(''));
const signaturePart = fc.oneof(
  timestampText.map((t) => `t=${t}`),
  v1Value.map((v) => `v1=${v}`),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('=', ',', 't', 'v1', 'v0=abc', ' t = 1 '),
);
const jsonValue = fc.jsonValue({ maxDepth: 4 });
const envelopeLike = fc.record(
  {
    id: fc.oneof({ arbitrary: fc.string({ maxLength: 30 }), weight: 4 }, jsonValue),
    type: fc.oneof({ arbitrary: fc.constantFrom('task.completed', 'session.failed', ''), weight: 4 }, jsonValue),
    text: fc.oneof(fc.string(), jsonValue),
    data: jsonValue,
  },
  { requiredKeys: [] },
);
const bodyBytes = fc.oneof(
  { arbitrary: envelopeLike.map((e) => Buffer.from(JSON.stringify(e))), weight: 6 },
  envelopeLike.map((e) => Buffer.from(JSON.stringify(e))),
  envelopeLike.map((e) => Buffer.from(JSON.stringify(e, null, 2))),
  jsonValue.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.nat({ max: 5000 }).map((n) => Buffer.from('['.repeat(n))),
);

interface Generated {
  headers: Record<string, string>;
  body: Buffer;
  secrets: readonly string[];
  now: number;
}
const request: fc.Arbitrary<Generated> = fc
  .record({
    body: bodyBytes,
    t: timestampText,
    tHeader: fc.option(timestampText, { nil: undefined, freq: 4 }),
    sign: fc.constantFrom('first', 'first', 'second', 'none', 'wrong') as fc.Arbitrary<
      'none' | 'first' | 'second' | 'wrong'
    >,
    extraParts: fc.oneof({ arbitrary: fc.constant([]), weight: 4 }, fc.array(signaturePart, { maxLength: 4 })),
    dropSignature: fc.integer({ min: 0, max: 15 }).map((n) => n === 0),
    secrets: fc.oneof(
      fc.constant([SECRETS[0]!]),
      fc.constant(SECRETS),
      fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 2 }),
    ),
    now: fc.oneof({ arbitrary: fc.constant(NOW), weight: 8 }, fc.integer({ min: 0, max: 2 ** 40 })),
  })
  .map(({ body, t, tHeader, sign, extraParts, dropSignature, secrets, now }) => {
    const headers: Record<string, string> = {};
    headers['anchor-timestamp'] = tHeader ?? t;
    const key = sign === 'first' ? secrets[0]! : sign === 'second' ? (secrets[1] ?? secrets[0]!) : 'not-the-secret';
    const parts =
      sign === 'none' ? [`t=${t}`, ...extraParts] : [`t=${t}`, `v1=${computeSignature(key, t, body)}`, ...extraParts];
    if (!dropSignature) headers['anchor-signature'] = parts.join(',');
    return { headers, body, secrets, now };
  });

const outcomes = new Map<string, number>();
afterAll(() => {
  if (process.env.FUZZ_STATS) console.log(Object.fromEntries(outcomes));
});
describe('fuzzing the request check of listen (no socket)', () => {
  it('replays the regression corpus: every case gets a verdict, none throws', () => {
    for (const c of corpus) {
      const { headers, body } = materialise(c, NOW);
      const v = checkDelivery(headers, body, SECRETS, NOW);
      expect(v.ok ? 200 : v.status, c.why).toBeOneOf([200, 400, 401]);
    }
  });

  it(
    `${RUNS} generated requests: a verdict for each, never a throw; a valid one needs a valid HMAC`,
    () => {
      fc.assert(
        fc.property(request, ({ headers, body, secrets, now }) => {
          const v = checkDelivery(headers, body, secrets, now);
          if (process.env.FUZZ_STATS)
            outcomes.set(
              v.ok ? 'ok' : `${v.status} ${v.reason.split(':')[0]}`,
              (outcomes.get(v.ok ? 'ok' : `${v.status} ${v.reason.split(':')[0]}`) ?? 0) + 1,
            );
          if (v.ok) {
            // Accepted only when the independent verifier (white space around , and = aside) agrees.
            const signatureHeader = headers['anchor-signature']!.replace(/\s*([,=])\s*/g, '$1').trim();
            const timestampHeader = headers['anchor-timestamp']!.trim();
            expect(
              secrets.some((secret) =>
                independentVerify({ secret, signatureHeader, timestampHeader, rawBody: body, nowSeconds: now }),
              ),
            ).toBe(true);
            expect(typeof v.id).toBe('string');
            expect(typeof v.type).toBe('string');
          } else {
            expect([400, 401]).toContain(v.status);
            expect(v.reason.length).toBeGreaterThan(0);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    `${RUNS} generated inputs to verify: the checks and the full diagnosis never throw`,
    () => {
      fc.assert(
        fc.property(request, fc.integer({ min: 0, max: 86_400 }), ({ headers, body, secrets, now }, tolerance) => {
          const input = {
            secret: secrets[0]!,
            signatureHeader: headers['anchor-signature'],
            timestampHeader: headers['anchor-timestamp'],
            body,
            nowSeconds: now,
            toleranceSeconds: tolerance,
          };
          const result = verifyDelivery(input);
          const d = diagnose(input, result);
          if (!result.valid) expect(d?.message ?? 'none').toBeTypeOf('string');
          for (const c of result.checks) expect(c.detail).toBeTypeOf('string');
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

/** Sends raw bytes over a socket and resolves with the status line's code (0 if the server closed without one). */
function rawRequest(port: number, bytes: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('no answer within 10 s'));
    }, 10_000);
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      const m = got.match(/^HTTP\/1\.1 (\d{3}) /);
      if (m) {
        clearTimeout(timer);
        s.destroy();
        resolve(Number(m[1]));
      }
    });
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      resolve(0);
    });
    s.end(bytes);
  });
}

function httpBytes(headers: Record<string, string>, body: Buffer, path = '/hooks'): Buffer {
  const head = [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    `Content-Length: ${body.length}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]);
}

describe('fuzzing listen over a real socket', () => {
  let receiver: RunningReceiver;
  const events: string[] = [];
  const statuses = new Set([200, 400, 401, 404, 405, 413, 429, 431]);
  beforeAll(async () => {
    receiver = await startReceiver({
      port: 0,
      host: '127.0.0.1',
      path: '/hooks',
      secrets: () => SECRETS,
      now: () => new Date(NOW * 1000),
      onEvent: (e) => events.push(e.id),
      onReject: () => {},
    });
  });
  afterAll(() => receiver.close());

  const stillServing = async () => {
    const body = Buffer.from(
      JSON.stringify({
        id: `evt_alive_${events.length}_${Math.random()}`,
        type: 'task.completed',
        text: 'alive',
        data: {},
      }),
    );
    const headers = {
      'anchor-timestamp': String(NOW),
      'anchor-signature': `t=${NOW},v1=${computeSignature(SECRETS[0]!, NOW, body)}`,
    };
    expect(await rawRequest(receiver.port, httpBytes(headers, body))).toBe(200);
  };

  it('replays the regression corpus over HTTP, byte for byte', async () => {
    for (const c of corpus) {
      const { headers, body } = materialise(c, NOW);
      const status = await rawRequest(receiver.port, httpBytes(headers, body));
      expect(statuses.has(status) || status === 0, `${c.why}: ${status}`).toBe(true);
    }
    await stillServing();
  });

  it(`${Math.max(200, Math.floor(RUNS / 10))} generated requests and raw byte streams: contract statuses only, and serving goes on`, async () => {
    const rawStream = fc.oneof(
      request.map((r) => httpBytes(r.headers, r.body)),
      fc
        .tuple(fc.string({ maxLength: 40 }), request)
        .map(([path, r]) => httpBytes(r.headers, r.body, `/${path.replace(/[\s]/g, '')}`)),
      fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
      fc
        .tuple(fc.constantFrom('GET', 'PUT', 'DELETE', 'POST', 'OPTIONS'), fc.string({ maxLength: 200 }))
        .map(([m, rest]) => Buffer.from(`${m} /hooks HTTP/1.1\r\nHost: x\r\n${rest}\r\n\r\n`, 'utf8')),
    );
    await fc.assert(
      fc.asyncProperty(rawStream, async (bytes) => {
        const status = await rawRequest(receiver.port, bytes);
        // 0: the server closed a connection that was not HTTP at all, after answering 400 or without.
        expect(statuses.has(status) || status === 0, `answered ${status}`).toBe(true);
      }),
      { numRuns: Math.max(200, Math.floor(RUNS / 10)) },
    );
    await stillServing();
  }, 600_000);
});
