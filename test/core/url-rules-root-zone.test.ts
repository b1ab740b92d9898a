// Names under a TLD that IANA's root zone does not delegate, and the public addresses a cloud's
// every VM reaches as its platform endpoint: refused by the rules, by the CLI (with the fix in its
// hint), by the emulator over HTTP, and by the built binary; real public names still accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ianaTlds from 'tlds';
import { checkResolvedAddress, checkWebhookUrl } from '../../src/core/url-rules.js';
import { checkUrlFlag } from '../../src/commands/flags.js';
import { parseApplyFile } from '../../src/commands/webhooks/apply/file.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { UsageError } from '../../src/errors.js';
import { isolatedEnv, runBin } from '../helpers/bin.js';

/** Cluster, service-mesh, company and home names: none of these TLDs is in the root zone. */
const PRIVATE_NAMES = [
  'api.default.svc',
  'kubernetes.default.svc',
  'x.svc.cluster.local',
  'db.corp',
  'printer.lan',
  'vault.service.consul',
  'x.consul',
  'x.internal',
  'foo.home.arpa',
  'grafana.monitoring.k8s',
  'web.docker',
  'app.intra',
  'router.home',
  'DB.CORP.',
  'x.lan.',
];

const PUBLIC_NAMES = [
  'hooks.example.com',
  'my-app.app',
  'receiver.dev',
  'x.io',
  'agent.ai',
  'a.zip',
  'b.mov',
  'hooks.example.co.uk',
  'x.aws',
  'example.xn--p1ai', // .рф
  'example.xn--fiqs8s', // .中国
  'example.xn--3e0b707e', // .한국
  'example.xn--mgbaam7a8h', // .امارات
  'пример.рф',
  'bücher.example.de',
];

/** Each cloud's platform addresses, as the parser, the resolver and wildcard DNS may spell them. */
const PLATFORM_ADDRESSES = [
  '168.63.129.16', // Azure WireServer
  '199.36.153.8', // private.googleapis.com
  '199.36.153.11',
  '199.36.153.4', // restricted.googleapis.com
  '161.26.0.7', // IBM Cloud DNS resolvers
  '161.26.0.8',
  '166.8.0.1', // IBM Cloud service endpoints
  '166.11.255.254',
  '183.60.83.19', // Tencent Cloud DNS
  '183.60.82.98',
];
const spellings = (dottedQuad: string): string[] => {
  const d = dottedQuad.split('.').map(Number);
  const n = ((d[0]! << 24) >>> 0) + (d[1]! << 16) + (d[2]! << 8) + d[3]!;
  const hi = (n >>> 16).toString(16);
  const lo = (n & 0xffff).toString(16);
  return [
    dottedQuad,
    String(n),
    `0x${n.toString(16)}`,
    `0${n.toString(8)}`,
    `${d[0]}.${n & 0xffffff}`,
    `[::ffff:${dottedQuad}]`,
    `[::ffff:${hi}:${lo}]`,
    `[64:ff9b::${dottedQuad}]`,
    `[2002:${hi}:${lo}::1]`,
    `${dottedQuad}.nip.io`,
    `app-${d.join('-')}.sslip.io`,
  ];
};

describe('names under a TLD outside the root zone', () => {
  it.each(PRIVATE_NAMES)('%s is refused, naming the TLD and what to use instead', (host) => {
    const v = checkWebhookUrl(`https://${host}/hook`);
    expect(v).toMatchObject({ ok: false, rule: 'internal_tld' });
    if (!v.ok) {
      const tld = host.toLowerCase().replace(/\.$/, '').split('.').pop()!;
      expect(v.message).toContain(`.${tld}`);
      expect(v.message).toContain('public DNS name');
    }
  });

  it.each(PUBLIC_NAMES)('%s is accepted', (host) => {
    expect(checkWebhookUrl(`https://${host}/hook`)).toEqual({ ok: true });
  });

  it('every TLD of the root zone is accepted under an ordinary name, and made-up ones are not', () => {
    const delegated = new Set(ianaTlds);
    const tlds = ianaTlds.filter((t) => t !== 'arpa');
    fc.assert(
      fc.property(
        fc.constantFrom(...tlds),
        fc.stringMatching(/^[a-z]{2,12}$/).filter((t) => !delegated.has(t)),
        (tld, madeUp) => {
          const ascii = new URL(`https://x.${tld}/`).hostname;
          expect(checkWebhookUrl(`https://hooks.example-site.${tld}/`).ok, ascii).toBe(true);
          expect(checkWebhookUrl(`https://hooks.example-site.${madeUp}/`)).toMatchObject({
            ok: false,
            rule: 'internal_tld',
          });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('.arpa is in the root zone but holds no web hosts', () => {
    expect(checkWebhookUrl('https://1.0.0.127.in-addr.arpa/')).toMatchObject({ ok: false, rule: 'internal_tld' });
  });
});

describe('cloud platform addresses', () => {
  it.each(PLATFORM_ADDRESSES)('%s is refused in every spelling, naming the cloud', (address) => {
    for (const host of spellings(address)) {
      const v = checkWebhookUrl(`https://${host}/hook`);
      expect(v, host).toMatchObject({ ok: false, rule: 'metadata' });
      if (!v.ok) expect(v.message).toMatch(/Azure|Google|IBM|Tencent/);
    }
    expect(checkResolvedAddress(address).ok).toBe(false);
    expect(checkResolvedAddress(`::ffff:${address}`).ok).toBe(false);
  });

  it("Google's IPv6 ranges for private and restricted.googleapis.com are refused", () => {
    for (const a of ['2600:2d00:2:2000::1', '2600:2d00:2:1000::ffff', '2600:2d00:2:2000:ffff:ffff:ffff:ffff']) {
      expect(checkWebhookUrl(`https://[${a}]/`), a).toMatchObject({ ok: false, rule: 'metadata' });
      expect(checkResolvedAddress(a).ok, a).toBe(false);
    }
  });

  it('their neighbours are still public', () => {
    for (const a of ['168.63.129.15', '168.63.129.17', '199.36.153.12', '199.36.153.3', '161.27.0.1', '166.12.0.1'])
      expect(checkWebhookUrl(`https://${a}/`), a).toEqual({ ok: true });
    expect(checkWebhookUrl('https://[2600:2d00:2:3000::1]/')).toEqual({ ok: true });
  });
});

describe('the CLI and the emulator', () => {
  let emu: RunningEmulator;
  let local: RunningEmulator;
  const KEY = 'root-zone-key';
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, host: '127.0.0.1', allowLocalTargets: false, retryDelaysMs: [5] });
    local = await startEmulator({ port: 0, host: '127.0.0.1', allowLocalTargets: true, retryDelaysMs: [5] });
  });
  afterAll(async () => {
    await emu.close();
    await local.close();
  });

  async function create(on: RunningEmulator, url: string): Promise<{ status: number; text: string }> {
    const res = await fetch(`${on.url}/v1/webhooks`, {
      method: 'POST',
      headers: { 'anchor-api-key': KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ url, subscribed_events: ['task.completed'] }),
    });
    const text = await res.text();
    if (res.status === 200 || res.status === 201) {
      const { id } = JSON.parse(text) as { id: string };
      await (
        await fetch(`${on.url}/v1/webhooks/${id}`, { method: 'DELETE', headers: { 'anchor-api-key': KEY } })
      ).text();
    }
    return { status: res.status, text };
  }

  function cliError(url: string): UsageError | undefined {
    try {
      checkUrlFlag(url, false);
      return undefined;
    } catch (e) {
      if (e instanceof UsageError) return e;
      throw e;
    }
  }

  const refused = [
    ...PRIVATE_NAMES.map((h) => `https://${h}/hook`),
    ...PLATFORM_ADDRESSES.flatMap((a) => spellings(a).map((h) => `https://${h}/hook`)),
  ];

  it('refuse the same URLs; the CLI names --allow-local-targets, the emulator says how to allow them', async () => {
    for (const url of refused) {
      const e = cliError(url);
      expect(e, url).toBeDefined();
      expect(e!.exitCode).toBe(2);
      expect(e!.hint).toContain('--allow-local-targets');
      const api = await create(emu, url);
      expect(api.status, url).toBe(400);
      expect(api.text).toContain('--allow-local-targets');
      // A local receiver behind an emulator started with --allow-local-targets is allowed.
      expect((await create(local, url)).status, url).toBe(201);
    }
  });

  it('accept the same public names', async () => {
    for (const host of PUBLIC_NAMES) {
      const url = `https://${host}/hook`;
      expect(cliError(url), url).toBeUndefined();
      expect((await create(emu, url)).status, url).toBe(201);
    }
  });

  it('apply refuses a cluster name and a platform address, each at its place in the file', () => {
    const file = [
      'webhooks:',
      '  - url: https://api.default.svc/hook',
      '    events: [task.completed]',
      '  - url: https://168.63.129.16/hook',
      '    events: [task.completed]',
      '  - url: https://hooks.example.app/hook',
      '    events: [task.completed]',
      '',
    ].join('\n');
    expect(() => parseApplyFile(file, 'hooks.yaml', { allowLocalTargets: false })).toThrow(
      expect.objectContaining({
        exitCode: 2,
        message: expect.stringMatching(
          /hooks\.yaml:2:\d+: webhooks\[0\]\.url: .*\.svc[\s\S]*hooks\.yaml:4:\d+: webhooks\[1\]\.url: .*Azure/,
        ),
      }),
    );
    expect(parseApplyFile(file, 'hooks.yaml', { allowLocalTargets: true })).toHaveLength(3);
  });

  it('the built binary refuses a cluster name with exit 2 and the fix', async () => {
    const r = await runBin([
      'webhooks',
      'create',
      '--dry-run',
      '--url',
      'https://api.default.svc/hook',
      '--event',
      'task.completed',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('.svc');
    expect(r.stderr).toContain('--allow-local-targets');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('the built binary (its list converted when bundled) accepts new gTLDs and IDN TLDs', async () => {
    for (const url of ['https://hooks.example.app/h', 'https://example.xn--p1ai/h', 'https://пример.рф/h']) {
      const r = await runBin(['webhooks', 'create', '--dry-run', '--json', '--url', url, '--event', 'task.completed'], {
        env: { ...isolatedEnv(), ANCHOR_API_KEY: 'k' },
      });
      expect({ url, code: r.code, stderr: r.stderr }).toEqual({ url, code: 0, stderr: '' });
    }
  });
});
