// The URL rules against an independent oracle: Node's net.BlockList loaded with the IANA
// special-purpose address registries (written out here from the registries, not from src/), over
// generated addresses in every spelling and every IPv6 form that embeds an IPv4 address; and a
// table of names. Plus the cases that once slipped through, one by one.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BlockList } from 'node:net';
import { checkWebhookUrl, checkResolvedAddress, normalizeWebhookUrl, type UrlRule } from '../../src/core/url-rules.js';

// About 1 ms a run at the most, plus the usual 20 s.
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
const TIMEOUT = 20_000 + RUNS;

// IPv4: every block of the IANA IPv4 special-purpose registry that is not globally reachable, and
// multicast and the limited broadcast (never a webhook's host). Cloud metadata addresses fall inside.
const V4_BLOCKED: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
// IPv6 blocks that are not globally reachable and embed no IPv4 address.
const V6_BLOCKED: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:2::', 48],
  ['2001:10::', 28],
  ['2001:20::', 28],
  ['2001:db8::', 32],
  ['3fff::', 20],
  ['5f00::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];
// Public addresses that a cloud answers from inside its own network, for every VM, each from that
// cloud's documentation: Azure's WireServer, Google's private/restricted.googleapis.com VIPs, IBM
// Cloud's service networks, Tencent Cloud's VPC DNS servers.
const V4_CLOUD_PLATFORM: Array<[string, number]> = [
  ['168.63.129.16', 32],
  ['199.36.153.4', 30],
  ['199.36.153.8', 30],
  ['161.26.0.0', 16],
  ['166.8.0.0', 14],
  ['183.60.83.19', 32],
  ['183.60.82.98', 32],
];
const V6_CLOUD_PLATFORM: Array<[string, number]> = [
  ['2600:2d00:2:1000::', 64],
  ['2600:2d00:2:2000::', 64],
];
const v4List = new BlockList();
for (const [a, p] of [...V4_BLOCKED, ...V4_CLOUD_PLATFORM]) v4List.addSubnet(a, p, 'ipv4');
const v6List = new BlockList();
for (const [a, p] of [...V6_BLOCKED, ...V6_CLOUD_PLATFORM]) v6List.addSubnet(a, p, 'ipv6');

const v4Public = (n: number) => !v4List.check([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'), 'ipv4');
const hex4 = (n: number) => [(n >>> 16).toString(16), (n & 0xffff).toString(16)];

// Addresses near the edges of the blocks are where a rule is most likely off by one.
const edges = [...V4_BLOCKED, ...V4_CLOUD_PLATFORM].flatMap(([a, p]) => {
  const base = a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - p);
  return [base - 1, base, base + size - 1, base + size].filter((n) => n >= 0 && n < 2 ** 32);
});
const v4 = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  fc.constantFrom(...edges),
  fc
    .constantFrom(...edges)
    .chain((e) => fc.integer({ min: Math.max(0, e - 300), max: Math.min(2 ** 32 - 1, e + 300) })),
);

/** The IPv4 spellings the WHATWG parser accepts, and the IPv6 forms that carry an IPv4 address. */
const spellings = (n: number): string[] => {
  const [hi, lo] = hex4(n);
  const d = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return [
    d.join('.'),
    String(n),
    `0x${n.toString(16)}`,
    `0${n.toString(8)}`,
    `${d[0]}.${(n & 0xffffff).toString()}`,
    `0x${d[0]!.toString(16)}.${d[1]}.0${d[2]!.toString(8)}.${d[3]}`,
    `[::ffff:${d.join('.')}]`,
    `[::ffff:${hi}:${lo}]`,
    `[::${d.join('.')}]`,
    `[::ffff:0:${d.join('.')}]`,
    `[64:ff9b::${d.join('.')}]`,
    `[2002:${hi}:${lo}::1]`,
    `[2001:db9::5efe:${d.join('.')}]`,
    `[2001:db9::200:5efe:${hi}:${lo}]`,
  ];
};

describe('URL rules against net.BlockList and the IANA registries', () => {
  it(
    `${RUNS} generated IPv4 addresses, in 14 spellings and embeddings each: refused exactly when the oracle blocks them`,
    () => {
      fc.assert(
        fc.property(v4, (n) => {
          const expected = v4Public(n);
          for (const host of spellings(n)) {
            const v = checkWebhookUrl(`https://${host}/hook`);
            expect(v.ok, `${host} (${[n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')})`).toBe(
              expected,
            );
          }
          // And as the emulator sees it, resolved.
          const dotted = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
          expect(checkResolvedAddress(dotted).ok).toBe(expected);
          expect(checkResolvedAddress(`::ffff:${dotted}`).ok).toBe(expected);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  const group = fc.integer({ min: 0, max: 0xffff });
  const prefixes = fc.constantFrom(
    ...[...V6_BLOCKED, ...V6_CLOUD_PLATFORM].map(([a]) => a),
    '2600::',
    '2a00:1450::',
    '2001:4860::',
    '2c0f::',
    '3ffe::',
    '4000::',
  );
  const v6 = fc.oneof(
    fc.array(group, { minLength: 8, maxLength: 8 }),
    fc
      .tuple(prefixes, fc.array(group, { minLength: 8, maxLength: 8 }), fc.integer({ min: 16, max: 127 }))
      .map(([p, rest, keep]) => {
        // The prefix's first bits, random bits after: inside and just outside each block.
        const base = new URL(`http://[${p}]/`).hostname.slice(1, -1);
        const full = expand(base);
        return full.map((g, i) =>
          i * 16 + 16 <= keep
            ? g
            : i * 16 >= keep
              ? rest[i]!
              : (g & (0xffff << (16 - (keep - i * 16)))) | (rest[i]! & (0xffff >>> (keep - i * 16))),
        );
      }),
  );

  it(
    `${RUNS} generated IPv6 addresses: refused exactly when the oracle blocks them (or the IPv4 inside them is blocked)`,
    () => {
      fc.assert(
        fc.property(v6, (g) => {
          const text = g.map((x) => x.toString(16)).join(':');
          const embedded = embeddedV4(g);
          const expected = embedded !== undefined ? v4Public(embedded) : !v6List.check(text, 'ipv6');
          // Metadata addresses are refused whatever the oracle says.
          const isMetadata = ['fd00:ec2:0:0:0:0:0:254', 'fd00:ec2:0:0:0:0:0:23'].includes(text);
          expect(checkWebhookUrl(`https://[${text}]/`).ok, text).toBe(expected && !isMetadata);
          expect(checkResolvedAddress(text).ok, text).toBe(expected && !isMetadata);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

function expand(text: string): number[] {
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':').map((x) => parseInt(x, 16)) : [];
  const t = tail ? tail.split(':').map((x) => parseInt(x, 16)) : [];
  return tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** The IPv4 address an IPv6 address carries, by the RFCs: mapped, SIIT, compatible, NAT64, 6to4, ISATAP. */
function embeddedV4(g: number[]): number | undefined {
  const z = (a: number, b: number) => g.slice(a, b).every((x) => x === 0);
  const low = ((g[6]! << 16) >>> 0) + g[7]!;
  if (z(0, 8) || (z(0, 7) && g[7] === 1)) return undefined;
  if (z(0, 5) && g[5] === 0xffff) return low;
  if (z(0, 4) && g[4] === 0xffff && g[5] === 0) return low;
  if (z(0, 6)) return low;
  if (g[0] === 0x64 && g[1] === 0xff9b && z(2, 6)) return low;
  if (g[0] === 0x2002) return ((g[1]! << 16) >>> 0) + g[2]!;
  if (
    (g[4]! & 0xfdff) === 0 &&
    g[5] === 0x5efe &&
    v6List.check(g.map((x) => x.toString(16)).join(':'), 'ipv6') === false
  ) {
    return v4Public(low) ? undefined : low;
  }
  return undefined;
}

const NAMES: Array<[string, UrlRule | 'ok']> = [
  // Loopback by convention.
  ['localhost.localdomain', 'loopback'],
  ['ip6-localhost', 'loopback'],
  ['ip6-loopback', 'loopback'],
  ['localhost6', 'loopback'],
  ['localhost4.localdomain4', 'loopback'],
  ['api.localhost', 'loopback'],
  ['localtest.me', 'loopback'],
  ['app.localtest.me', 'loopback'],
  ['lvh.me', 'loopback'],
  ['x.lvh.me', 'loopback'],
  ['vcap.me', 'loopback'],
  ['a.localhost.direct', 'loopback'],
  // Names that carry an address, on wildcard DNS.
  ['127.0.0.1.nip.io', 'loopback'],
  ['app.10.0.0.1.nip.io', 'private'],
  ['app-192-168-1-1.sslip.io', 'private'],
  ['10-0-0-1.sslip.io', 'private'],
  ['7f000001.nip.io', 'loopback'],
  ['169.254.169.254.nip.io', 'metadata'],
  ['8.8.8.8.nip.io', 'ok'],
  ['app.nip.io', 'ok'],
  // Internal-only and special-use names.
  ['printer.local', 'internal_tld'],
  ['db.internal', 'internal_tld'],
  ['nas.home.arpa', 'internal_tld'],
  ['router.lan', 'internal_tld'],
  ['wiki.intranet', 'internal_tld'],
  ['git.corp', 'internal_tld'],
  ['tv.home', 'internal_tld'],
  ['x.private', 'internal_tld'],
  ['a.onion', 'internal_tld'],
  ['x.alt', 'internal_tld'],
  ['x.invalid', 'internal_tld'],
  ['x.test', 'internal_tld'],
  ['x.example', 'internal_tld'],
  ['intranet', 'internal_tld'],
  ['router', 'internal_tld'],
  ['box.localdomain', 'internal_tld'],
  // AWS STS, IAM and EKS, every documented naming scheme.
  ['sts.amazonaws.com', 'aws_endpoint'],
  ['sts.eu-west-1.amazonaws.com', 'aws_endpoint'],
  ['sts-fips.us-east-1.amazonaws.com', 'aws_endpoint'],
  ['sts.us-east-1.api.aws', 'aws_endpoint'],
  ['sts-fips.us-east-1.api.aws', 'aws_endpoint'],
  ['sts.us-gov-west-1.amazonaws.com', 'aws_endpoint'],
  ['sts.cn-north-1.amazonaws.com.cn', 'aws_endpoint'],
  ['sts.cn-north-1.api.amazonwebservices.com.cn', 'aws_endpoint'],
  ['sts.us-iso-east-1.c2s.ic.gov', 'aws_endpoint'],
  ['sts.us-isob-east-1.sc2s.sgov.gov', 'aws_endpoint'],
  ['sts.eu-isoe-west-1.cloud.adc-e.uk', 'aws_endpoint'],
  ['sts.us-isof-south-1.csp.hci.ic.gov', 'aws_endpoint'],
  ['sts.eusc-de-east-1.amazonaws.eu', 'aws_endpoint'],
  ['iam.amazonaws.com', 'aws_endpoint'],
  ['iam.global.api.aws', 'aws_endpoint'],
  ['iam.us-gov.amazonaws.com', 'aws_endpoint'],
  ['iam.cn-north-1.amazonaws.com.cn', 'aws_endpoint'],
  ['iam.global.api.amazonwebservices.com.cn', 'aws_endpoint'],
  ['iam-fips.amazonaws.com', 'aws_endpoint'],
  ['eks.us-west-2.amazonaws.com', 'aws_endpoint'],
  ['eks.us-west-2.api.aws', 'aws_endpoint'],
  ['eks-fips.us-east-1.amazonaws.com', 'aws_endpoint'],
  ['eks-auth.us-west-2.api.aws', 'aws_endpoint'],
  ['abcdef.gr7.us-west-2.eks.amazonaws.com', 'aws_endpoint'],
  ['vpce-0abc.sts.us-east-1.vpce.amazonaws.com', 'aws_endpoint'],
  ['s3.us-east-1.amazonaws.com', 'ok'],
  ['lambda.us-east-1.api.aws', 'ok'],
  ['stsx.example.com', 'ok'],
  ['sts.example.com', 'ok'],
  // Metadata.
  ['metadata.google.internal', 'metadata'],
  ['instance-data', 'metadata'],
];

describe('names', () => {
  it.each(NAMES)('%s → %s', (host, rule) => {
    const v = checkWebhookUrl(`https://${host}/hook`);
    if (rule === 'ok') expect(v).toEqual({ ok: true });
    else expect(v).toMatchObject({ ok: false, rule });
  });

  it(
    'a generated name under an internal, loopback or AWS STS/IAM/EKS domain is refused; under a public one it is not',
    () => {
      // Labels with "--" in the third and fourth places are IDNA's (xn--…) and are refused when not valid punycode.
      const label = fc
        .stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/)
        .filter(
          (l) =>
            ![
              'sts',
              'iam',
              'eks',
              'eks-auth',
              'sts-fips',
              'iam-fips',
              'eks-fips',
              'eks-auth-fips',
              'localhost',
            ].includes(l) &&
            !/^\d+$/.test(l) &&
            !/^[0-9a-f]{8}$/.test(l) &&
            !/\d+-\d+-\d+-\d+/.test(l) &&
            !/^..--/.test(l),
        );
      const blocked = fc.constantFrom(
        'local',
        'internal',
        'home.arpa',
        'lan',
        'onion',
        'test',
        'invalid',
        'localtest.me',
        'lvh.me',
        'localhost',
      );
      const aws = fc.tuple(
        fc.constantFrom('sts', 'iam', 'eks', 'sts-fips', 'eks-auth'),
        fc.constantFrom('us-east-1', 'eu-west-3', 'cn-north-1', 'global'),
        fc.constantFrom(
          'amazonaws.com',
          'api.aws',
          'amazonaws.com.cn',
          'api.amazonwebservices.com.cn',
          'c2s.ic.gov',
          'amazonaws.eu',
        ),
      );
      fc.assert(
        fc.property(
          fc.array(label, { minLength: 1, maxLength: 3 }),
          blocked,
          aws,
          fc.constantFrom('com', 'io', 'dev', 'co.uk', 'app'),
          (labels, suffix, [svc, region, domain], tld) => {
            expect(checkWebhookUrl(`https://${labels.join('.')}.${suffix}/`).ok).toBe(false);
            expect(checkWebhookUrl(`https://${labels.join('.')}.${svc}.${region}.${domain}/`).ok).toBe(false);
            expect(checkWebhookUrl(`https://${labels.join('.')}.example-${tld.replace('.', '-')}.${tld}/`).ok).toBe(
              true,
            );
          },
        ),
        { numRuns: Math.min(RUNS, 2000) },
      );
    },
    TIMEOUT,
  );
});

describe('judged and sent as one string', () => {
  it.each([
    ['https://example.com/a\\b', 'a backslash'],
    ['https://evil.com\\@127.0.0.1/', 'a backslash'],
    ['https://example.com/a b', 'a space'],
    ['https://exa\tmple.com/', 'a tab'],
    ['https://example.com/\r\nX-Injected: 1', 'a carriage return'],
    [' https://example.com/', 'a space'],
    ['https://example.com/\u0000', 'a control character (U+0000)'],
    ['https://example.com/\u00a0', 'white space (U+00A0)'],
    ['https://example.com/\u2028', 'white space (U+2028)'],
  ])('%j is refused: it contains %s', (url, what) => {
    expect(checkWebhookUrl(url)).toMatchObject({
      ok: false,
      rule: 'invalid',
      message: expect.stringContaining(`contains ${what}`),
    });
  });

  it.each(['https://@example.com/', 'https://:@example.com/', 'https://u@example.com/', 'https://a:b@example.com/'])(
    '%s: user info, even empty, is refused',
    (url) => {
      expect(checkWebhookUrl(url)).toMatchObject({ ok: false, rule: 'credentials' });
    },
  );

  it('what is sent is the parsed form', () => {
    expect(normalizeWebhookUrl('https://Hooks.EXAMPLE.com')).toBe('https://hooks.example.com/');
    expect(normalizeWebhookUrl('https://bücher.example.com/a?b=1#c')).toBe('https://xn--bcher-kva.example.com/a?b=1#c');
    expect(normalizeWebhookUrl('https://example.com:443/x')).toBe('https://example.com/x');
  });

  it('a resolver answer that is not an address is refused', () => {
    expect(checkResolvedAddress('not-an-ip').ok).toBe(false);
    expect(checkResolvedAddress('fe80::1%eth0').ok).toBe(false);
    expect(checkResolvedAddress('2606:4700:4700::1111').ok).toBe(true);
  });
});
