// The address half of the URL rules: literal IPv4/IPv6 hosts in every spelling the URL parser
// accepts, and the addresses the emulator's resolver returns, judged by the IANA special-purpose
// registries, the cloud metadata addresses, and the few public addresses that a cloud's every VM
// reaches as its own platform endpoint.
import { fail, PUBLIC_ONLY, type UrlRule, type UrlVerdict } from './url-verdict.js';

// EC2 IMDS, ECS task metadata, Alibaba, the Oracle/OpenStack link-local ones, EC2 time sync, and the
// EKS Pod Identity agent (169.254.170.23).
const METADATA_V4 = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '169.254.170.23',
  '100.100.100.200',
  '192.0.0.192',
  '169.254.169.123',
]);
const METADATA_V6 = new Set(['fd00:ec2::254', 'fd00:ec2::23', 'fd00:ec2::123']);

/**
 * Public addresses that a cloud answers from inside its own network, for every VM: reaching one
 * from Anchor's side would talk to that cloud's platform, not to a receiver. The other big clouds'
 * platform endpoints are link-local or shared addresses, which the ranges below refuse already:
 * AWS (169.254.169.254, 169.254.169.253 DNS, 169.254.169.123 time, fd00:ec2::/ULA), Google
 * (169.254.169.254), Oracle (169.254.169.254, 169.254.0.0/16), Alibaba (100.100.100.200 and DNS in
 * 100.100.0.0/16), Huawei (169.254.169.254, DNS in 100.125.0.0/16), DigitalOcean, Linode/Akamai and
 * Hetzner (169.254.169.254), Tencent metadata (169.254.0.23).
 */
const CLOUD_PLATFORM_V4: ReadonlyArray<[string, number, string]> = [
  // https://learn.microsoft.com/en-us/azure/virtual-network/what-is-ip-address-168-63-129-16
  ['168.63.129.16', 32, "Azure's platform address (WireServer: VM agent, DNS, DHCP, health probes)"],
  // https://cloud.google.com/vpc/docs/configure-private-google-access#domain-options
  // https://cloud.google.com/vpc-service-controls/docs/private-connectivity#ip-ranges
  ['199.36.153.8', 30, "Google Cloud's private.googleapis.com range, reached only from inside Google Cloud"],
  ['199.36.153.4', 30, "Google Cloud's restricted.googleapis.com range, reached only from inside Google Cloud"],
  // https://cloud.ibm.com/docs/security-groups?topic=security-groups-ibm-cloud-ip-ranges (service network)
  // https://cloud.ibm.com/docs/dns-svcs?topic=dns-svcs-managing-permitted-networks (resolvers 161.26.0.7/8)
  ['161.26.0.0', 16, "IBM Cloud's service network (DNS, NTP and infrastructure services for its servers)"],
  ['166.8.0.0', 14, "IBM Cloud's private service endpoint network"],
  // https://cloud.tencent.com/document/product/1689/90577 (a VPC's default dns_servers)
  ['183.60.83.19', 32, "Tencent Cloud's private-network DNS server for its VMs"],
  ['183.60.82.98', 32, "Tencent Cloud's private-network DNS server for its VMs"],
];
const CLOUD_PLATFORM_V6: ReadonlyArray<[number[], number, string]> = [
  // https://cloud.google.com/vpc/docs/configure-private-google-access#domain-options
  [
    [0x2600, 0x2d00, 0x2, 0x2000],
    64,
    "Google Cloud's private.googleapis.com range, reached only from inside Google Cloud",
  ],
  [
    [0x2600, 0x2d00, 0x2, 0x1000],
    64,
    "Google Cloud's restricted.googleapis.com range, reached only from inside Google Cloud",
  ],
];

/** The WHATWG parser already turns decimal, hex, octal and short IPv4 spellings into dotted quads. */
export function parseIPv4(host: string): number | undefined {
  const m = host.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

function inV4(n: number, base: string, bits: number): boolean {
  const b = parseIPv4(base)!;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (n & mask) >>> 0 === (b & mask) >>> 0;
}

const V4_RANGES: ReadonlyArray<[string, number, UrlRule, string]> = [
  ['127.0.0.0', 8, 'loopback', 'a loopback address'],
  ['10.0.0.0', 8, 'private', 'a private address'],
  ['172.16.0.0', 12, 'private', 'a private address'],
  ['192.168.0.0', 16, 'private', 'a private address'],
  ['100.64.0.0', 10, 'private', 'a carrier-grade NAT (shared) address'],
  ['169.254.0.0', 16, 'link_local', 'a link-local address'],
  ['0.0.0.0', 8, 'reserved', 'an unspecified ("this network") address'],
  ['192.0.0.0', 24, 'reserved', 'an IETF protocol-assignment address'],
  ['192.0.2.0', 24, 'reserved', 'a documentation (TEST-NET-1) address'],
  ['192.88.99.0', 24, 'reserved', 'a deprecated 6to4 relay anycast address'],
  ['198.18.0.0', 15, 'reserved', 'a benchmarking-network address'],
  ['198.51.100.0', 24, 'reserved', 'a documentation (TEST-NET-2) address'],
  ['203.0.113.0', 24, 'reserved', 'a documentation (TEST-NET-3) address'],
  ['224.0.0.0', 4, 'reserved', 'a multicast address'],
  ['240.0.0.0', 4, 'reserved', 'a reserved address'],
];

export function checkIPv4(n: number, shownAs?: string): UrlVerdict {
  const addr = dotted(n);
  const shown = shownAs ?? addr;
  if (METADATA_V4.has(addr)) return fail('metadata', `${shown} is a cloud metadata service address`);
  for (const [base, bits, what] of CLOUD_PLATFORM_V4) {
    if (inV4(n, base, bits)) return fail('metadata', `${shown} is ${what}; ${PUBLIC_ONLY}`);
  }
  for (const [base, bits, rule, what] of V4_RANGES) {
    if (inV4(n, base, bits)) {
      return fail(rule, `${shown} is ${what}; ${PUBLIC_ONLY}`);
    }
  }
  return { ok: true };
}

/** Eight 16-bit groups of an IPv6 address as the WHATWG parser prints it (hex, compressed). */
function parseIPv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const head = toGroups(halves[0]!);
  const tail = halves.length === 2 ? toGroups(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const groups = [...head, ...Array<number>(fill).fill(0), ...tail];
  return groups.some((g) => Number.isNaN(g) || g < 0 || g > 0xffff) ? undefined : groups;
}

/** Whether the groups `g` start with the first `bits` bits of `prefix` (whole groups, then a masked one). */
function inV6(g: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i * 16 < bits; i++) {
    const take = Math.min(16, bits - i * 16);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if (((g[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

export function checkIPv6(text: string): UrlVerdict {
  const g = parseIPv6(text);
  if (!g) return fail('invalid', `[${text}] is not a valid IPv6 address`);
  const shown = `[${text}]`;
  const v4 = (hi: number, lo: number) => ((hi << 16) >>> 0) + lo;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const publicOnly = PUBLIC_ONLY;

  if (zeros(0, 8)) return fail('reserved', `${shown} is the unspecified address`);
  if (zeros(0, 7) && g[7] === 1) return fail('loopback', `${shown} is the IPv6 loopback address; ${publicOnly}`);
  // Addresses that embed an IPv4 address are judged by it: mapped (::ffff:0:0/96), translated
  // (::ffff:0:0:0/96, RFC 2765), compatible (::/96), NAT64 (64:ff9b::/96), 6to4 (2002::/16),
  // ISATAP (any prefix, interface id ::5efe:a.b.c.d or ::200:5efe:a.b.c.d).
  if (zeros(0, 5) && g[5] === 0xffff) return checkIPv4(v4(g[6]!, g[7]!), shown);
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return checkIPv4(v4(g[6]!, g[7]!), shown);
  if (zeros(0, 6)) return checkIPv4(v4(g[6]!, g[7]!), shown);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return checkIPv4(v4(g[6]!, g[7]!), shown);
  if (g[0] === 0x2002) return checkIPv4(v4(g[1]!, g[2]!), shown);
  if ((g[4]! & 0xfdff) === 0 && g[5] === 0x5efe) {
    const embedded = checkIPv4(v4(g[6]!, g[7]!), shown);
    if (!embedded.ok) return embedded;
  }
  const canonical = g.map((x) => x.toString(16)).join(':');
  for (const m of METADATA_V6)
    if (
      parseIPv6(m)!
        .map((x) => x.toString(16))
        .join(':') === canonical
    )
      return fail('metadata', `${shown} is a cloud metadata service address`);
  for (const [prefix, bits, what] of CLOUD_PLATFORM_V6) {
    if (inV6(g, prefix, bits)) return fail('metadata', `${shown} is ${what}; ${PUBLIC_ONLY}`);
  }
  const first = g[0]!;
  // Local-use NAT64 (RFC 8215): the IPv4 address may sit anywhere in it, and it is never public.
  if (first === 0x64 && g[1] === 0xff9b && g[2] === 1)
    return fail('private', `${shown} is a local-use NAT64 address; ${publicOnly}`);
  if (first === 0x2001 && g[1] === 0)
    return fail('reserved', `${shown} is a Teredo tunnel address, which carries an IPv4 address; ${publicOnly}`);
  if (first === 0x2001 && g[1] === 0xdb8) return fail('reserved', `${shown} is a documentation address`);
  if (first === 0x3fff && g[1]! < 0x1000) return fail('reserved', `${shown} is a documentation address`);
  if (first === 0x2001 && g[1] === 2 && g[2] === 0) return fail('reserved', `${shown} is a benchmarking address`);
  if (first === 0x2001 && (g[1]! & 0xfff0) === 0x10) return fail('reserved', `${shown} is an ORCHID address`);
  if (first === 0x2001 && (g[1]! & 0xfff0) === 0x20) return fail('reserved', `${shown} is an ORCHIDv2 address`);
  if (first === 0x100 && zeros(1, 4)) return fail('reserved', `${shown} is a discard-only address`);
  if (first === 0x5f00) return fail('reserved', `${shown} is a segment-routing (SRv6) address`);
  if ((first & 0xfe00) === 0xfc00)
    return fail('private', `${shown} is a private (unique local) address; ${publicOnly}`);
  if ((first & 0xffc0) === 0xfe80) return fail('link_local', `${shown} is a link-local address; ${publicOnly}`);
  if ((first & 0xffc0) === 0xfec0) return fail('private', `${shown} is a site-local address; ${publicOnly}`);
  if ((first & 0xff00) === 0xff00) return fail('reserved', `${shown} is a multicast address`);
  return { ok: true };
}

/**
 * The verdict on an address a name resolved to (the emulator asks before it connects): the same
 * address rules as a literal in the URL.
 */
export function checkResolvedAddress(address: string): UrlVerdict {
  if (address.includes(':')) {
    // The resolver may write an embedded IPv4 dotted (::ffff:127.0.0.1); the URL parser gives the hex groups the rules read.
    let hex: string;
    try {
      hex = new URL(`http://[${address.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
    } catch {
      return fail('invalid', `${address} is not an IP address`);
    }
    return checkIPv6(hex);
  }
  const n = parseIPv4(address);
  return n === undefined ? fail('invalid', `${address} is not an IP address`) : checkIPv4(n);
}
