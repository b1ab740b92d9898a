// The http(s) URL of an app on the user's side (a local app, a receiver), parsed one way for every
// flag and argument that takes one; command modules import it without loading the declarations.

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
