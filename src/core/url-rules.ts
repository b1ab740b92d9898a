// The webhook URL rules Anchor enforces (SSRF protection), shared by the CLI's validation and the
// emulator so both give the same verdict. Hosts are judged by name and literal address only: no
// DNS lookups (the CLI must not leak the host to a resolver, and the emulator runs offline).

export const URL_MAX_LENGTH = 2048;
export const DESCRIPTION_MAX_LENGTH = 256;

export type UrlRule =
  | 'empty'
  | 'too_long'
  | 'invalid'
  | 'scheme'
  | 'credentials'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'metadata'
  | 'reserved'
  | 'internal_tld'
  | 'aws_endpoint';

export type UrlVerdict = { ok: true } | { ok: false; rule: UrlRule; message: string };

export interface UrlRuleOptions {
  /** Lift the scheme and address rules, for local receivers behind the emulator. */
  allowLocalTargets?: boolean;
}

/** Length in characters (code points), as JSON Schema's maxLength counts. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const fail = (rule: UrlRule, message: string): UrlVerdict => ({ ok: false, rule, message });

export function checkWebhookUrl(input: string, options: UrlRuleOptions = {}): UrlVerdict {
  if (input.length === 0) return fail('empty', 'the URL is empty');
  const length = charLength(input);
  if (length > URL_MAX_LENGTH) {
    return fail('too_long', `the URL is ${length} characters long; at most ${URL_MAX_LENGTH} are allowed`);
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return fail('invalid', `"${input}" is not a valid absolute URL`);
  }
  const allowLocal = options.allowLocalTargets === true;
  if (url.protocol !== 'https:' && !(allowLocal && url.protocol === 'http:')) {
    return fail('scheme', `the URL must use https:// (got ${url.protocol.replace(/:$/, '')}://)`);
  }
  if (url.username !== '' || url.password !== '') {
    return fail('credentials', 'the URL must not contain credentials (user:pass@); authenticate by checking the signature instead');
  }
  if (url.hostname === '') return fail('invalid', `"${input}" has no host`);
  if (allowLocal) return { ok: true };
  return checkHost(url.hostname);
}

const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.goog',
  'metadata.google.internal',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.com',
  'metadata.packet.net',
  'metadata.platformequinix.com',
  'metadata.tencentyun.com',
  'metadata.oraclecloud.com',
]);
const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192', '169.254.169.123']);
const AWS_BLOCKED_SERVICES = new Set(['sts', 'iam', 'eks']);

function checkHost(rawHost: string): UrlVerdict {
  const host = rawHost.toLowerCase().replace(/\.+$/, '');
  if (host.startsWith('[')) return checkIPv6(host.slice(1, -1));
  const v4 = parseIPv4(host);
  if (v4 !== undefined) return checkIPv4(v4);

  if (host === 'localhost' || host.endsWith('.localhost')) {
    return fail('loopback', `the host "${host}" is a loopback name; Anchor only delivers to public hosts`);
  }
  if (METADATA_HOSTS.has(host)) return fail('metadata', `the host "${host}" is a cloud metadata service`);
  for (const tld of ['local', 'internal']) {
    if (host.endsWith(`.${tld}`)) {
      return fail('internal_tld', `the host "${host}" uses the internal-only .${tld} domain`);
    }
  }
  const aws = host.match(/^(.*)\.amazonaws\.com(\.cn)?$/);
  if (aws) {
    const labels = aws[1]!.split('.');
    if (labels.some((l) => AWS_BLOCKED_SERVICES.has(l.replace(/-fips$/, '')))) {
      return fail('aws_endpoint', `the host "${host}" is an AWS STS, IAM or EKS endpoint`);
    }
  }
  return { ok: true };
}

/** The WHATWG parser already turns decimal, hex, octal and short IPv4 spellings into dotted quads. */
function parseIPv4(host: string): number | undefined {
  const m = host.match(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

function inV4(n: number, base: string, bits: number): boolean {
  const b = parseIPv4(base)!;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((n & mask) >>> 0) === ((b & mask) >>> 0);
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
  ['198.18.0.0', 15, 'reserved', 'a benchmarking-network address'],
  ['224.0.0.0', 4, 'reserved', 'a multicast address'],
  ['240.0.0.0', 4, 'reserved', 'a reserved address'],
];

function checkIPv4(n: number, shownAs?: string): UrlVerdict {
  const addr = dotted(n);
  const shown = shownAs ?? addr;
  if (METADATA_V4.has(addr)) return fail('metadata', `${shown} is a cloud metadata service address`);
  for (const [base, bits, rule, what] of V4_RANGES) {
    if (inV4(n, base, bits)) {
      return fail(rule, `${shown} is ${what}; Anchor only delivers to public addresses`);
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

function checkIPv6(text: string): UrlVerdict {
  const g = parseIPv6(text);
  if (!g) return fail('invalid', `[${text}] is not a valid IPv6 address`);
  const shown = `[${text}]`;
  const v4 = (hi: number, lo: number) => ((hi << 16) >>> 0) + lo;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);

  if (zeros(0, 8)) return fail('reserved', `${shown} is the unspecified address`);
  if (zeros(0, 7) && g[7] === 1) return fail('loopback', `${shown} is the IPv6 loopback address; Anchor only delivers to public addresses`);
  // Addresses that embed an IPv4 address are judged by it: mapped, compatible, NAT64, 6to4.
  if (zeros(0, 5) && g[5] === 0xffff) return checkIPv4(v4(g[6]!, g[7]!), shown);
  if (zeros(0, 6)) return checkIPv4(v4(g[6]!, g[7]!), shown);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return checkIPv4(v4(g[6]!, g[7]!), shown);
  if (g[0] === 0x2002) return checkIPv4(v4(g[1]!, g[2]!), shown);
  if (text === 'fd00:ec2::254') return fail('metadata', `${shown} is a cloud metadata service address`);
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return fail('private', `${shown} is a private (unique local) address; Anchor only delivers to public addresses`);
  if ((first & 0xffc0) === 0xfe80) return fail('link_local', `${shown} is a link-local address; Anchor only delivers to public addresses`);
  if ((first & 0xffc0) === 0xfec0) return fail('private', `${shown} is a site-local address; Anchor only delivers to public addresses`);
  if ((first & 0xff00) === 0xff00) return fail('reserved', `${shown} is a multicast address`);
  return { ok: true };
}

export type FieldVerdict = { ok: true } | { ok: false; message: string };

export function checkDescription(description: string): FieldVerdict {
  const length = charLength(description);
  return length > DESCRIPTION_MAX_LENGTH
    ? { ok: false, message: `the description is ${length} characters long; at most ${DESCRIPTION_MAX_LENGTH} are allowed` }
    : { ok: true };
}
