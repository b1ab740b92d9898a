// The inspector page's "Copy as curl" and "Copy as anchor verify": shell commands built in the
// browser from a recorded request (often a stranger's). Kept as script text apart from the page so
// that tests run this very code, and the commands it builds, outside a browser.
//
// A recorded body is data, never a path or an option: curl reads `@file` after --data-binary (and
// -d), so the body goes after --data-raw, which takes it literally; a body a shell argument cannot
// hold (not UTF-8, or with a NUL byte) goes through stdin as base64 instead.

/** Defines `curlCommand(r)` and `verifyCommand(r)` over a request as `received show --json` gives it. */
export const COMMAND_BUILDERS_JS = String.raw`
const sq = (s) => "'" + String(s).replace(/'/g, "'\\''") + "'";
const HEADER_NAME = /^[!#$%&'*+.^_\x60|~0-9A-Za-z-]+$/;
const NOT_COPIED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'expect']);
function utf8Base64(text) {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}
/** The body as a shell argument, or, when no argument can hold it, as base64 for stdin. */
function bodySource(r) {
  if (r.body === undefined) return { stdinBase64: r.body_base64 || '' };
  if (r.body.includes('\u0000')) return { stdinBase64: utf8Base64(r.body) };
  return { arg: r.body };
}
function curlCommand(r) {
  const url = r.forward ? r.forward.url : 'http://localhost:3000/webhooks/anchor';
  const headers = Object.entries(r.headers)
    .filter(([k]) => HEADER_NAME.test(k) && !NOT_COPIED.has(k.toLowerCase()))
    .map(([k, v]) => ' -H ' + sq(k + ': ' + (Array.isArray(v) ? v.join(', ') : v)))
    .join('');
  const body = bodySource(r);
  const curl = 'curl -X POST ' + sq(url) + headers;
  return body.arg !== undefined
    ? curl + ' --data-raw ' + sq(body.arg)
    : 'printf %s ' + sq(body.stdinBase64) + ' | base64 -d | ' + curl + ' --data-binary @-';
}
function verifyCommand(r) {
  const sig = r.headers['anchor-signature'] || '';
  const ts = r.headers['anchor-timestamp'] || '';
  const body = bodySource(r);
  const payload = body.arg !== undefined ? 'printf %s ' + sq(body.arg) : 'printf %s ' + sq(body.stdinBase64) + ' | base64 -d';
  return payload + ' | anchor webhooks verify --signature ' + sq(sig) + (ts ? ' --timestamp ' + sq(ts) + ' --now ' + sq(ts) : '') + ' --payload - --secret-file ./anchor-secret';
}
`;
