// Property-based: the CLI's validation and the emulator's give the same verdict on every generated
// URL (IP spellings, IPv6, IDN hosts, ports, userinfo, lengths around 2048), event list and
// description. The emulator is asked over real HTTP (PATCH of one webhook, so no limit applies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { checkDescriptionFlag, checkEventsFlag, checkUrlFlag } from '../../src/commands/flags.js';
import { EVENT_TYPES } from '../../src/core/events.js';
import { UsageError } from '../../src/errors.js';

let emu: RunningEmulator;
let webhookId: string;
const KEY = 'property-key';
beforeAll(async () => {
  emu = await startEmulator({ port: 0, host: '127.0.0.1', allowLocalTargets: false, retryDelaysMs: [5] });
  const res = await fetch(`${emu.url}/v1/webhooks`, {
    method: 'POST',
    headers: { 'anchor-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ url: 'https://example.com/start', subscribed_events: ['task.completed'] }),
  });
  webhookId = ((await res.json()) as { id: string }).id;
});
afterAll(async () => {
  await emu.close();
});

async function emulatorAccepts(body: Record<string, unknown>): Promise<boolean> {
  const res = await fetch(`${emu.url}/v1/webhooks/${webhookId}`, {
    method: 'PATCH',
    headers: { 'anchor-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  if (res.status !== 200 && res.status !== 400) throw new Error(`unexpected ${res.status}`);
  return res.status === 200;
}

function cliAccepts(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (e) {
    if (e instanceof UsageError && e.exitCode === 2) return false;
    throw e;
  }
}

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.oneof(
  fc.tuple(octet, octet, octet, octet),
  // Bias towards the blocked ranges.
  fc.tuple(fc.constantFrom(10, 127, 169, 172, 192, 100, 0, 224, 255, 198), octet, octet, octet),
  // Cloud platform addresses (Azure WireServer, Google's API VIPs, IBM's service networks, Tencent's DNS).
  fc.constantFrom<[number, number, number, number]>(
    [168, 63, 129, 16],
    [199, 36, 153, 9],
    [199, 36, 153, 5],
    [161, 26, 0, 7],
    [166, 9, 1, 2],
    [183, 60, 83, 19],
    [183, 60, 82, 98],
  ),
);
const ipv4Spelling = ipv4.chain(([a, b, c, d]) => {
  const n = ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
  return fc.constantFrom(
    `${a}.${b}.${c}.${d}`,
    String(n),
    `0x${n.toString(16)}`,
    `0${n.toString(8)}`,
    `0x${a.toString(16)}.${b}.${c}.${d}`,
    `0${a.toString(8)}.${b}.${c}.${d}`,
    `${a}.${(b << 16) + (c << 8) + d}`,
    `${a}.${b}.${(c << 8) + d}`,
  );
});
const hextet = fc.integer({ min: 0, max: 0xffff }).map((x) => x.toString(16));
const ipv6 = fc
  .oneof(
    fc.array(hextet, { minLength: 8, maxLength: 8 }).map((g) => g.join(':')),
    fc
      .tuple(fc.constantFrom('fe80', 'fc00', 'fd12', 'ff02', '2001:db8', '2606:4700', '64:ff9b:', ''), hextet)
      .map(([p, x]) => `${p}::${x}`),
    ipv4.map(([a, b, c, d]) => `::ffff:${a}.${b}.${c}.${d}`),
    ipv4.map(([a, b, c, d]) => `::${a}.${b}.${c}.${d}`),
    fc.constant('::1'),
    fc.constant('::'),
  )
  .map((h) => `[${h}]`);
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,12}[a-z0-9])?$/);
const idnLabel = fc.string({
  unit: fc.constantFrom(...'äöüßéèñçøåæłžšчжщяあいう日本中文한국'.split('')),
  minLength: 1,
  maxLength: 8,
});
const hostname = fc.oneof(
  fc
    .tuple(
      fc.array(fc.oneof(label, idnLabel), { minLength: 1, maxLength: 3 }),
      fc.constantFrom(
        'com',
        'io',
        'local',
        'internal',
        'localhost',
        'dev',
        'amazonaws.com',
        'goog',
        'xn--p1ai',
        'app',
        'svc',
        'svc.cluster.local',
        'corp',
        'consul',
        'home.arpa',
        'lan',
      ),
    )
    .map(([ls, tld]) => [...ls, tld].join('.')),
  fc.constantFrom(
    'localhost',
    'metadata.google.internal',
    'sts.amazonaws.com',
    'sts.us-east-1.amazonaws.com',
    'iam.amazonaws.com',
    'abc.eks.amazonaws.com',
    'hooks.slack.com',
    'metadata',
    'LOCALHOST.',
    'example.com.',
  ),
);
const host = fc.oneof(hostname, ipv4Spelling, ipv6);
const url = fc
  .record({
    scheme: fc.constantFrom('https', 'https', 'https', 'http', 'ftp', 'HTTPS', 'wss'),
    userinfo: fc.oneof(fc.constant(''), fc.constant(''), fc.constantFrom('user@', 'user:pass@', ':@', 'a%40b:c@')),
    host,
    port: fc.oneof(
      fc.constant(''),
      fc.integer({ min: 0, max: 70000 }).map((p) => `:${p}`),
    ),
    path: fc.oneof(fc.constant('/'), fc.webPath(), fc.constant('/hooks?x=1#y')),
    pad: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 2000, max: 2060 })),
  })
  .map(({ scheme, userinfo, host: h, port, path, pad }) => {
    const base = `${scheme}://${userinfo}${h}${port}${path}`;
    return pad > base.length ? `${base}${base.includes('?') ? '&' : '?'}p=${'a'.repeat(pad - base.length - 3)}` : base;
  });

describe('CLI and emulator agree', () => {
  // The rules themselves are checked against an independent oracle in test/core/url-rules-oracle.test.ts;
  // this asks only that the CLI and the emulator (over HTTP) agree.
  it('on 1,000 generated URLs', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 9, arbitrary: url }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }),
        async (u) => {
          const cli = cliAccepts(() => checkUrlFlag(u, false));
          const api = await emulatorAccepts({ url: u });
          if (cli) accepted++;
          expect({ url: u, cli }).toEqual({ url: u, cli: api });
        },
      ),
      { numRuns: 1000 },
    );
    // The generator reaches both verdicts, not just one.
    expect(accepted).toBeGreaterThan(50);
    expect(accepted).toBeLessThan(9500);
  }, 120_000);

  it('on generated event lists', async () => {
    const eventish = fc.oneof(
      fc.constantFrom(...EVENT_TYPES),
      fc.constantFrom('task.complete', 'Task.Completed', 'session.ready ', 'batch', ''),
      fc.string({ maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(eventish, { minLength: 0, maxLength: 5 }), async (events) => {
        const cli = events.length > 0 && cliAccepts(() => checkEventsFlag(events, '--event'));
        const api = await emulatorAccepts({ subscribed_events: events });
        expect({ events, cli }).toEqual({ events, cli: api });
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it('on generated descriptions around 256 characters', async () => {
    const text = fc.oneof(
      fc.string({ minLength: 250, maxLength: 262 }),
      fc.string({ unit: 'grapheme', minLength: 120, maxLength: 262 }),
      fc.string({ unit: fc.constantFrom('😀', 'é', 'a', '中'), minLength: 250, maxLength: 262 }),
    );
    await fc.assert(
      fc.asyncProperty(text, async (d) => {
        const cli = cliAccepts(() => checkDescriptionFlag(d));
        const api = await emulatorAccepts({ description: d });
        expect({ length: [...d].length, cli }).toEqual({ length: [...d].length, cli: api });
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});
