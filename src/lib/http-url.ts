// The http(s) URL of an app on the user's side (a local app, a receiver), parsed one way for every
// flag and argument that takes one, and `listen --forward-to`'s `<type pattern>=<url>` routes;
// command modules import it without loading the declarations.

/** Where a local app usually takes deliveries: the example every URL message gives. */
export const APP_URL_EXAMPLE = 'http://localhost:3000/webhooks/anchor';

/** An http:// or https:// URL, or what is wrong with `text` (a phrase: "not a URL"). */
export function parseHttpUrl(text: string): URL | string {
  let url: URL;
  try {
    // Without "://", `localhost:3000/hooks` would parse as the scheme "localhost:".
    if (!text.includes('://')) return 'not a URL';
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `its scheme is ${url.protocol}`;
  return url;
}

/** An app URL for the events whose type matches `pattern` (`task.*`); no pattern: the default. */
export interface ForwardRoute {
  pattern?: string;
  url: URL;
}

/** Letters, digits, `_`, `.` and `*`: what the part before `=` must be for the value to be a route. */
const TYPE_PATTERN = /^[A-Za-z0-9_.*]+$/;

/** A `--forward-to` value split into its type pattern (when it is a route) and its URL text. */
export function splitForwardValue(value: string): { pattern?: string; url: string } {
  const eq = value.indexOf('=');
  if (eq <= 0) return { url: value };
  const head = value.slice(0, eq);
  // `http://x/?a=b`: the part before `=` holds `://`, so the whole value is a URL.
  if (head.includes('://') || !TYPE_PATTERN.test(head)) return { url: value };
  return { pattern: head, url: value.slice(eq + 1) };
}
