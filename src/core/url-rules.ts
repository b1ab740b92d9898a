// The webhook URL rules Anchor enforces (SSRF protection), shared by the CLI's validation and the
// emulator so both give the same verdict. Hosts are judged by name and literal address only: no
// DNS lookups (the CLI must not leak the host to a resolver, and the emulator runs offline; it
// checks the addresses it connects to instead).
//
// Names are judged here, literal addresses in address-rules.ts, and a name's top-level domain
// against IANA's root zone (root-zone.ts): a name under a TLD that is not delegated there resolves
// only on a private network.
//
// A URL is judged on its parsed (WHATWG) form, and that form is what is sent and stored
// (`normalizeWebhookUrl`), so what was judged is what is called. Raw characters that the parser
// would drop or read differently from other parsers (white space, control characters, `\`, an
// empty user-info `@`) are refused outright rather than silently changed.

export const URL_MAX_LENGTH = 2048;
export const DESCRIPTION_MAX_LENGTH = 256;

import { checkIPv4, checkIPv6, dotted, parseIPv4 } from './address-rules.js';
import { isRootZoneTld } from './root-zone.js';
import { fail, type UrlVerdict } from './url-verdict.js';

export type { UrlRule, UrlVerdict } from './url-verdict.js';
export { checkResolvedAddress } from './address-rules.js';

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

/** `example.com/hooks`, typed without its scheme: the https:// URL it most likely means, as a question. */
function schemeGuess(input: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(input) && !/^[^:/]+:\d/.test(input)) return '';
  try {
    const guess = new URL(`https://${input}`);
    return guess.hostname.includes('.') || guess.hostname === 'localhost' ? `: did you mean https://${input}?` : '';
  } catch {
    return '';
  }
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
    return fail('invalid', `"${input}" is not a valid absolute URL${schemeGuess(input)}`);
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
  'localh.st',
  'lvh.me',
  'vcap.me',
  'lacolhost.com',
  'localhost.direct',
  'fuf.me',
  'yoogle.com',
  'ulh.us',
];
/** Wildcard DNS that resolves a name to the address written in it (`10.0.0.1.nip.io`, `10-0-0-1.sslip.io`). */
const ADDRESS_IN_NAME_DOMAINS = [
  'nip.io',
  'sslip.io',
  'xip.io',
  'traefik.me',
  'backname.io',
  'ip.addr.tools',
  'local-ip.sh',
  'local-ip.co',
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
    const prefix = host.slice(0, -wildcard.length - 1);
    const embedded = addressInName(prefix);
    if (embedded !== undefined) {
      const verdict = checkIPv4(embedded, `${host} (which resolves to ${dotted(embedded)})`);
      if (!verdict.ok) return verdict;
    }
    // sslip.io also writes an IPv6 address with dashes for colons (`fd00-ec2--254.sslip.io`).
    const v6 = prefix.split('.').at(-1)!;
    if (v6.includes('--') || v6.split('-').length >= 3) {
      const text = v6.replace(/-/g, ':');
      const verdict = checkIPv6(text);
      // Not an address at all (`my-app-1.sslip.io` is a name): nothing to judge here.
      if (!verdict.ok && verdict.rule !== 'invalid')
        return fail(verdict.rule, `the host "${host}" resolves to [${text}]: ${verdict.message}`);
    }
  }
  if (!host.includes('.')) {
    return fail(
      'internal_tld',
      `the host "${host}" is a single-label name, which resolves only on a local network (through its search domains); use the receiver's public DNS name`,
    );
  }
  const tld = host.slice(host.lastIndexOf('.') + 1);
  if (!isRootZoneTld(tld)) {
    return fail(
      'internal_tld',
      `the host "${host}" is under .${tld}, which is not a top-level domain of the public DNS (IANA's root zone), so only a private resolver (a cluster, a company network, a home router) can answer for it; use the receiver's public DNS name`,
    );
  }
  // .arpa is in the root zone, but only for infrastructure (RFC 3172: reverse lookups, and
  // home.arpa, RFC 8375, for home networks): no web host lives under it.
  if (tld === 'arpa') {
    return fail(
      'internal_tld',
      `the host "${host}" is under .arpa, which holds DNS infrastructure (reverse lookups, home.arpa for home networks), not web hosts; use the receiver's public DNS name`,
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
