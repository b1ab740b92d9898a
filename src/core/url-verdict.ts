// The verdict the URL rules give (src/core/url-rules.ts for names, address-rules.ts for addresses):
// one shape, so the CLI and the emulator read either the same way.

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

export const fail = (rule: UrlRule, message: string): UrlVerdict => ({ ok: false, rule, message });

export const PUBLIC_ONLY = 'Anchor only delivers to public addresses';
