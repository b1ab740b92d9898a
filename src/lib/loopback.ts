// Whether a host or a peer is this machine's loopback, in the forms anchor meets: a URL's host name
// (where plain http:// may carry the API key), a literal one (where a replay signed with the user's
// secret may go), and a socket's peer address (which a tunnel makes of every stranger).
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname) || hostname.endsWith('.localhost');
}

/** A loopback host written as an address or `localhost` itself: no DNS name that merely ends in .localhost. */
export function isLiteralLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** A socket's peer address on this machine: 127.0.0.0/8, ::1, or IPv4-mapped 127.x. */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return /^127(?:\.\d{1,3}){3}$/.test(v4) || address === '::1';
}
