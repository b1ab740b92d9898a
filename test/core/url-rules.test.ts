// The URL rules Anchor documents, case by case: the verdict and the rule it names.
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, checkDescription, type UrlRule } from '../../src/core/url-rules.js';

const accepted = [
  'https://your-app.example.com/anchor/webhooks',
  'https://hooks.slack.com/services/T01234567/B98765432/AbCdEfGhIjKlMnOpQrStUvWx',
  'https://example.com:8443/x?y=1#frag',
  'https://8.8.8.8/hook',
  'https://[2606:4700:4700::1111]/hook',
  'https://bücher.example.com/hook',
  'https://s3.amazonaws.com/bucket/hook',
  'https://lambda-url.us-east-1.on.aws/',
  'https://172.32.0.1/',
  'https://192.169.0.1/',
  'https://100.128.0.1/',
  'https://my-local.example.com/',
  'https://internal.example.com/',
];

const rejected: Array<[string, UrlRule]> = [
  ['', 'empty'],
  ['not a url', 'invalid'],
  ['/relative/path', 'invalid'],
  ['http://example.com/hook', 'scheme'],
  ['ftp://example.com/hook', 'scheme'],
  ['https://user:pass@example.com/hook', 'credentials'],
  ['https://user@example.com/hook', 'credentials'],
  ['https://127.0.0.1/hook', 'loopback'],
  ['https://127.255.255.254/hook', 'loopback'],
  ['https://2130706433/hook', 'loopback'],
  ['https://0x7f000001/hook', 'loopback'],
  ['https://0x7f.0.0.1/hook', 'loopback'],
  ['https://0177.0.0.1/hook', 'loopback'],
  ['https://017700000001/hook', 'loopback'],
  ['https://127.1/hook', 'loopback'],
  ['https://localhost/hook', 'loopback'],
  ['https://LOCALHOST./hook', 'loopback'],
  ['https://app.localhost/hook', 'loopback'],
  ['https://[::1]/hook', 'loopback'],
  ['https://[0:0:0:0:0:0:0:1]/hook', 'loopback'],
  ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
  ['https://[::ffff:7f00:1]/hook', 'loopback'],
  ['https://[::127.0.0.1]/hook', 'loopback'],
  ['https://[64:ff9b::127.0.0.1]/hook', 'loopback'],
  ['https://[2002:7f00:1::]/hook', 'loopback'],
  ['https://10.0.0.1/hook', 'private'],
  ['https://10.255.255.255/hook', 'private'],
  ['https://172.16.0.1/hook', 'private'],
  ['https://172.31.255.255/hook', 'private'],
  ['https://192.168.1.1/hook', 'private'],
  ['https://0xc0a80101/hook', 'private'],
  ['https://[::ffff:10.0.0.1]/hook', 'private'],
  ['https://[::ffff:192.168.0.1]/hook', 'private'],
  ['https://[fc00::1]/hook', 'private'],
  ['https://[fd12:3456::1]/hook', 'private'],
  ['https://100.64.0.1/hook', 'private'],
  ['https://169.254.1.1/hook', 'link_local'],
  ['https://[fe80::1]/hook', 'link_local'],
  ['https://169.254.169.254/latest/meta-data', 'metadata'],
  ['https://[::ffff:169.254.169.254]/', 'metadata'],
  ['https://[fd00:ec2::254]/', 'metadata'],
  ['https://100.100.100.200/', 'metadata'],
  ['https://metadata.google.internal/computeMetadata/v1/', 'metadata'],
  ['https://metadata.goog/', 'metadata'],
  ['https://0.0.0.0/hook', 'reserved'],
  ['https://[::]/hook', 'reserved'],
  ['https://224.0.0.1/hook', 'reserved'],
  ['https://255.255.255.255/hook', 'reserved'],
  ['https://[ff02::1]/hook', 'reserved'],
  ['https://printer.local/hook', 'internal_tld'],
  ['https://api.corp.internal/hook', 'internal_tld'],
  ['https://sts.amazonaws.com/', 'aws_endpoint'],
  ['https://sts.us-east-1.amazonaws.com/', 'aws_endpoint'],
  ['https://sts-fips.us-east-2.amazonaws.com/', 'aws_endpoint'],
  ['https://iam.amazonaws.com/', 'aws_endpoint'],
  ['https://sts.cn-north-1.amazonaws.com.cn/', 'aws_endpoint'],
  ['https://eks.us-west-2.amazonaws.com/', 'aws_endpoint'],
  ['https://ABCDEF0123.gr7.us-west-2.eks.amazonaws.com/', 'aws_endpoint'],
  [`https://example.com/${'a'.repeat(2029)}`, 'too_long'],
];

describe('checkWebhookUrl', () => {
  it.each(accepted)('accepts %s', (url) => {
    expect(checkWebhookUrl(url)).toEqual({ ok: true });
  });
  it.each(rejected)('rejects %s (%s)', (url, rule) => {
    const v = checkWebhookUrl(url);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.rule).toBe(rule);
      expect(v.message.length).toBeGreaterThan(10);
    }
  });

  it('counts length in characters: 2048 is allowed, 2049 is not', () => {
    const base = 'https://example.com/';
    expect(checkWebhookUrl(base + 'a'.repeat(2048 - base.length)).ok).toBe(true);
    expect(checkWebhookUrl(base + 'a'.repeat(2049 - base.length)).ok).toBe(false);
    expect(checkWebhookUrl(base + 'é'.repeat(2048 - base.length)).ok).toBe(true);
  });

  it('allowLocalTargets lifts the scheme and address rules, not credentials or length', () => {
    const o = { allowLocalTargets: true };
    expect(checkWebhookUrl('http://localhost:3000/hooks', o).ok).toBe(true);
    expect(checkWebhookUrl('http://127.0.0.1:3000/hooks', o).ok).toBe(true);
    expect(checkWebhookUrl('https://10.0.0.1/', o).ok).toBe(true);
    expect(checkWebhookUrl('ftp://localhost/', o)).toMatchObject({ ok: false, rule: 'scheme' });
    expect(checkWebhookUrl('http://u:p@localhost/', o)).toMatchObject({ ok: false, rule: 'credentials' });
  });

  it('a URL typed without its scheme asks whether https:// was meant; nonsense gets no guess', () => {
    expect(checkWebhookUrl('example.com/hooks')).toMatchObject({
      ok: false,
      rule: 'invalid',
      message: '"example.com/hooks" is not a valid absolute URL: did you mean https://example.com/hooks?',
    });
    expect(checkWebhookUrl('not a url')).toMatchObject({ ok: false, rule: 'invalid' });
    expect((checkWebhookUrl('/relative/path') as { message: string }).message).not.toContain('did you mean');
    expect((checkWebhookUrl('hooks') as { message: string }).message).not.toContain('did you mean');
  });

  it('names the address in the message', () => {
    expect(checkWebhookUrl('https://0x7f000001/')).toMatchObject({ message: expect.stringContaining('127.0.0.1') });
  });
});

describe('checkDescription', () => {
  it('allows 256 characters and refuses 257', () => {
    expect(checkDescription('x'.repeat(256)).ok).toBe(true);
    expect(checkDescription('😀'.repeat(256)).ok).toBe(true);
    expect(checkDescription('x'.repeat(257))).toMatchObject({ ok: false, message: expect.stringContaining('257') });
  });
});

describe('wildcard DNS that carries an address in the name', () => {
  it.each([
    ['https://127-0-0-1.local-ip.sh/', 'loopback'],
    ['https://10.0.0.1.local-ip.co/', 'private'],
    ['https://localh.st/', 'loopback'],
    ['https://app.localh.st/', 'loopback'],
    ['https://fd00-ec2--254.sslip.io/', 'metadata'],
    ['https://0--1.sslip.io/', 'loopback'],
  ] as const)('%s is refused (%s)', (url, rule) => {
    const v = checkWebhookUrl(url);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.rule).toBe(rule);
  });

  it.each(['https://my-app-1.sslip.io/', 'https://2a00-1450-4001-82a--200e.sslip.io/', 'https://8.8.8.8.local-ip.sh/'])(
    '%s (a name, or a public address) is accepted',
    (url) => expect(checkWebhookUrl(url)).toEqual({ ok: true }),
  );
});
