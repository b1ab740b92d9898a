// Whether a name's top-level domain is delegated in the public DNS root zone, from IANA's list as
// the `tlds` package ships it (bundled; refreshed by updating that dev dependency). A name under any
// other TLD (`svc`, `cluster.local`, `corp`, `lan`, `consul`, `internal`…) can only be answered by a
// private resolver, so it is never a public webhook host.
import ianaTlds from 'tlds';

// Built on the first check, not at load: every command that reaches the URL rules loads this
// module, and most of them never judge a host. The bundle carries the list as its JSON text
// (scripts/build.mjs), which costs next to nothing to load; tests import the array itself.
let rootZone: ReadonlySet<string> | undefined;
let idnTlds: ReadonlySet<string> | undefined;
const rootZoneNames = (): readonly string[] => {
  const list: unknown = ianaTlds;
  return typeof list === 'string' ? (JSON.parse(list) as string[]) : ianaTlds;
};

/** `tld`: the last label of a host as the URL parser gives it (lower case, IDNs in punycode). */
export function isRootZoneTld(tld: string): boolean {
  rootZone ??= new Set(rootZoneNames());
  if (rootZone.has(tld)) return true;
  // The package lists internationalised TLDs in Unicode (`рф`) where the URL parser gives
  // `xn--p1ai`; the bundle's list is converted when it is built (scripts/build.mjs), the package's
  // own (in tests) here, once.
  if (!tld.startsWith('xn--')) return false;
  idnTlds ??= new Set(
    [...rootZone].filter((t) => !/^[a-z0-9-]+$/.test(t)).map((t) => new URL(`http://${t}/`).hostname),
  );
  return idnTlds.has(tld);
}
