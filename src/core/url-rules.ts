// The webhook URL rules Anchor enforces (SSRF protection), shared by the CLI's validation and the
// emulator so both give the same verdict. Hosts are judged by name and literal address only: no
// DNS lookups (the CLI must not leak the host to a resolver, and the emulator runs offline; it
// checks the addresses it connects to instead).
//
// A URL is judged on its parsed (WHATWG) form, and that form is what is sent and stored
// (`normalizeWebhookUrl`), so what was judged is what is called. Raw characters that the parser
// would drop or read differently from other parsers (white space, control characters, `\`, an
// empty user-info `@`) are refused outright rather than silently changed.

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

const CREDENTIALS_MESSAGE =
  'the URL must not contain credentials (user:pass@, or any "@" before the host); authenticate by checking the signature instead';

const CHARACTER_NAMES: Record<string, string> = {
  '\t': 'a tab',
  '\n': 'a line feed',
  '\r': 'a carriage return',
  ' ': 'a space',
  '\\': 'a backslash',
};

/** What in the typed URL the parser would drop, re-encode or read differently from other parsers. */
function rawFormProblem(input: string): UrlVerdict | undefined {
  // eslint-disable-next-line no-control-regex
  const m = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\\]/u.exec(input);
  if (m) {
    const c = m[0];
    const name =
      CHARACTER_NAMES[c] ??
      (c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f)
        ? `a control character (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`
        : `white space (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`);
    return fail(
      'invalid',
      `the URL contains ${name} at character ${[...input.slice(0, m.index)].length + 1}; URL parsers disagree on what that means. Percent-encode it (a space is %20) or remove it`,
    );
  }
  // An "@" before the host, with nothing before it, is dropped by the parser: `https://@host/`.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(input)?.[1];
  if (authority !== undefined && authority.includes('@')) {
    return fail('credentials', CREDENTIALS_MESSAGE);
  }
  return undefined;
}

/** The form of a valid webhook URL that is sent and stored: the parsed URL, as the rules judged it. */
export function normalizeWebhookUrl(input: string): string {
  return new URL(input).href;
}

export function checkWebhookUrl(input: string, options: UrlRuleOptions = {}): UrlVerdict {
  if (input.length === 0) return fail('empty', 'the URL is empty');
  const length = charLength(input);
  if (length > URL_MAX_LENGTH) {
    return fail('too_long', `the URL is ${length} characters long; at most ${URL_MAX_LENGTH} are allowed`);
  }
  const raw = rawFormProblem(input);
  if (raw) return raw;
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
    return fail('credentials', CREDENTIALS_MESSAGE);
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

/** Names that mean this machine by convention (hosts files, /etc/hosts on Debian and Red Hat). */
const LOOPBACK_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'localhost4',
  'localhost4.localdomain4',
  'localhost6',
  'localhost6.localdomain6',
  'ip6-localhost',
  'ip6-loopback',
  'ip6-allnodes',
  'ip6-allrouters',
]);
/** Public DNS names that resolve to 127.0.0.1, with every subdomain. */
const LOOPBACK_DOMAINS = [
  'localtest.me',
  'lvh.me',
  'vcap.me',
  'lacolhost.com',
  'localhost.direct',
  'fuf.me',
  'yoogle.com',
  'ulh.us',
];
/** Wildcard DNS that resolves a name to the address written in it (`10.0.0.1.nip.io`, `10-0-0-1.sslip.io`). */
const ADDRESS_IN_NAME_DOMAINS = ['nip.io', 'sslip.io', 'xip.io', 'traefik.me', 'backname.io', 'ip.addr.tools'];
/**
 * Names that never resolve on the public internet: RFC 6761 (test, invalid, example, localhost),
 * RFC 6762 (local, and the private-use names of its appendix G), RFC 7686 (onion), RFC 8375
 * (home.arpa), RFC 9476 (alt), and ICANN's .internal.
 */
const INTERNAL_SUFFIXES = [
  'local',
  'internal',
  'home.arpa',
  'lan',
  'intranet',
  'corp',
  'home',
  'private',
  'localdomain',
  'onion',
  'alt',
  'invalid',
  'test',
  'example',
];
/** The domains AWS names service endpoints in, every partition: commercial, dual-stack, China, ISO, EU sovereign. */
const AWS_DOMAINS = [
  'amazonaws.com',
  'amazonaws.com.cn',
  'api.aws',
  'api.amazonwebservices.com.cn',
  'amazonwebservices.com.cn',
  'c2s.ic.gov',
  'sc2s.sgov.gov',
  'cloud.adc-e.uk',
  'csp.hci.ic.gov',
  'amazonaws.eu',
];
/** STS, IAM and EKS (and EKS Pod Identity's eks-auth), in any label, FIPS or not. */
const AWS_BLOCKED_SERVICES = new Set(['sts', 'iam', 'eks', 'eks-auth']);

const under = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

function checkHost(rawHost: string): UrlVerdict {
  const host = rawHost.toLowerCase().replace(/\.+$/, '');
  if (host.startsWith('[')) return checkIPv6(host.slice(1, -1));
  const v4 = parseIPv4(host);
  if (v4 !== undefined) return checkIPv4(v4);

  if (LOOPBACK_NAMES.has(host) || host.endsWith('.localhost')) {
    return fail('loopback', `the host "${host}" is a loopback name; Anchor only delivers to public hosts`);
  }
  const loopbackDomain = LOOPBACK_DOMAINS.find((d) => under(host, d));
  if (loopbackDomain)
    return fail(
      'loopback',
      `the host "${host}" resolves to 127.0.0.1 (${loopbackDomain} points every name at this machine); Anchor only delivers to public hosts`,
    );
  if (METADATA_HOSTS.has(host)) return fail('metadata', `the host "${host}" is a cloud metadata service`);
  const wildcard = ADDRESS_IN_NAME_DOMAINS.find((d) => under(host, d));
  if (wildcard) {
    const embedded = addressInName(host.slice(0, -wildcard.length - 1));
    if (embedded !== undefined) {
      const verdict = checkIPv4(embedded, `${host} (which resolves to ${dotted(embedded)})`);
      if (!verdict.ok) return verdict;
    }
  }
  for (const suffix of INTERNAL_SUFFIXES) {
    if (under(host, suffix))
      return fail(
        'internal_tld',
        `the host "${host}" uses the internal-only .${suffix} domain, which the public internet cannot resolve`,
      );
  }
  if (!host.includes('.')) {
    return fail(
      'internal_tld',
      `the host "${host}" is a single-label name, which resolves only on a local network (through its search domains)`,
    );
  }
  const aws = AWS_DOMAINS.find((d) => host.endsWith(`.${d}`));
  if (aws) {
    const labels = host.slice(0, -aws.length - 1).split('.');
    if (labels.some((l) => AWS_BLOCKED_SERVICES.has(l.replace(/-fips$/, '')))) {
      return fail('aws_endpoint', `the host "${host}" is an AWS STS, IAM or EKS endpoint`);
    }
  }
  return { ok: true };
}

/** The IPv4 address a wildcard-DNS name carries: dotted (`10.0.0.1`), dashed (`10-0-0-1`) or hex (`0a000001`), anywhere in its labels. */
function addressInName(prefix: string): number | undefined {
  const dottedMatch = prefix.match(/(?:^|[.-])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/);
  const dashed = prefix.match(/(?:^|[.-])(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})$/);
  const text = dottedMatch?.[1] ?? (dashed ? dashed.slice(1, 5).join('.') : undefined);
  if (text !== undefined) return parseIPv4(text);
  const hex = prefix.match(/(?:^|[.-])([0-9a-f]{8})$/);
  return hex ? parseInt(hex[1]!, 16) >>> 0 : undefined;
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
  const publicOnly = 'Anchor only delivers to public addresses';

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

export type FieldVerdict = { ok: true } | { ok: false; message: string };

export function checkDescription(description: string): FieldVerdict {
  const length = charLength(description);
  return length > DESCRIPTION_MAX_LENGTH
    ? {
        ok: false,
        message: `the description is ${length} characters long; at most ${DESCRIPTION_MAX_LENGTH} are allowed`,
      }
    : { ok: true };
}
