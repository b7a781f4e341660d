import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { BlockedUrlError } from '../../errors.js';

/**
 * The SSRF guard. redline fetches URLs that users submit, from inside a VPC (and, locally, next to the metadata and
 * admin ports of a developer's machine), so only public unicast addresses are reachable unless the caller opts in.
 *
 * Two layers: `urlBlockReason` refuses bad schemes, credentials, browser "bad ports" and literal non-public IPs before
 * a request is made (for every redirect hop), and the guarded connector (guarded-connector.ts) vets the address a
 * hostname RESOLVES to at connect time, so DNS rebinding cannot get past the first check.
 */

/** What the private-address policy sees for one connection. */
export interface AddressTarget {
  /** The IP address about to be connected to. */
  address: string;
  /** The URL's hostname (a name or an IP literal, without IPv6 brackets). */
  hostname: string;
  port: number;
  protocol: 'http:' | 'https:';
  /** `protocol//host[:port]`, as `URL.origin` spells it. */
  origin: string;
}

/** `false` (the default): public addresses only. `true`: anything (a trusted local demo). A predicate: case by case. */
export type PrivateAddressPolicy = boolean | ((target: AddressTarget) => boolean);

/** Ports browsers refuse to fetch (WHATWG Fetch "bad port"): SMTP, IRC, SIP and the like. */
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123,
  135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995,
  1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The ports a user-submitted URL may name by default. */
export const DEFAULT_ALLOWED_PORTS: readonly number[] = Object.freeze([80, 443, 8080, 8443]);

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/**
 * Why `address` is not a public unicast address, or `undefined` when it is. Anything unparsable is refused
 * (fail closed). IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64 64:ff9b::/96, 6to4) are judged by the
 * embedded address; NAT64 is what DNS64 returns in IPv6-only subnets, so it must work for public targets.
 */
export function addressBlockReason(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return `unparsable address ${address}`;
  }
  if (parsed.kind() === 'ipv4') {
    const range = parsed.range();
    return range === 'unicast' ? undefined : `${range} address ${parsed.toString()}`;
  }
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'ipv4Mapped') return embeddedReason(v6, v6.toIPv4Address());
  if (range === 'rfc6052' && v6.match(NAT64_WELL_KNOWN)) return embeddedReason(v6, embeddedIPv4(v6, 6));
  if (range === '6to4') return embeddedReason(v6, embeddedIPv4(v6, 1));
  if (range !== 'unicast') return `${range} address ${v6.toString()}`;
  // ipaddr.js calls everything it has no name for "unicast", including IPv4-compatible ::a.b.c.d; only 2000::/3 is
  // allocated as global unicast.
  if (!v6.match(GLOBAL_UNICAST_V6)) return `non-global IPv6 address ${v6.toString()}`;
  return undefined;
}

function embeddedIPv4(address: ipaddr.IPv6, firstPart: number): ipaddr.IPv4 {
  const high = address.parts[firstPart] ?? 0;
  const low = address.parts[firstPart + 1] ?? 0;
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function embeddedReason(outer: ipaddr.IPv6, inner: ipaddr.IPv4): string | undefined {
  const range = inner.range();
  return range === 'unicast' ? undefined : `${range} address ${inner.toString()} (embedded in ${outer.toString()})`;
}

export function isPublicAddress(address: string): boolean {
  return addressBlockReason(address) === undefined;
}

/** Whether the connection described by `target` may be made under `policy`. */
export function isAddressAllowed(target: AddressTarget, policy: PrivateAddressPolicy): boolean {
  if (isPublicAddress(target.address)) return true;
  if (typeof policy === 'function') return policy(target);
  return policy;
}

/**
 * A policy for tests and the local demo: private addresses are allowed only for the listed origins, and only when the
 * address is loopback. `allowLoopbackOrigins(['http://127.0.0.1:8123'])` lets the local report site through and
 * keeps every other private target (another port, 10/8, the metadata address, a name rebinding to 127.0.0.1) blocked.
 */
export function allowLoopbackOrigins(origins: Iterable<string>): (target: AddressTarget) => boolean {
  const allowed = new Set([...origins].map((origin) => new URL(origin).origin));
  return (target) => allowed.has(target.origin) && rangeOf(target.address) === 'loopback';
}

function rangeOf(address: string): string | undefined {
  try {
    const parsed = ipaddr.process(address);
    return parsed.range();
  } catch {
    return undefined;
  }
}

/** `URL.hostname` without IPv6 brackets. */
export function bareHostname(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * Why the fetcher must not request `url` (checked for the first URL and every redirect hop), or `undefined`.
 * Hostnames are not resolved here: the connector vets the resolved address when it connects.
 */
export function urlBlockReason(url: URL, policy: PrivateAddressPolicy): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme ${url.protocol} is not http or https`;
  if (url.username !== '' || url.password !== '') return 'credentials in URL';
  const port = effectivePort(url);
  if (BAD_PORTS.has(port)) return `port ${port} is not fetchable`;
  const hostname = bareHostname(url);
  if (hostname === '') return 'no host';
  if (net.isIP(hostname) !== 0) {
    const target: AddressTarget = { address: hostname, hostname, port, protocol: url.protocol, origin: url.origin };
    if (!isAddressAllowed(target, policy)) return addressBlockReason(hostname);
  }
  return undefined;
}

export interface PublicUrlOptions {
  /** Ports a submitted URL may use; `'any'` lifts the restriction (bad ports stay refused). */
  allowedPorts?: readonly number[] | 'any';
}

/**
 * Validate a user-submitted URL at API time. Throws BlockedUrlError (400, safe to show) naming the problem; returns
 * the parsed URL. This is the cheap early check: names that resolve to private addresses are caught at connect time.
 */
export function assertPublicUrl(input: string, options: PublicUrlOptions = {}): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch (error) {
    throw new BlockedUrlError(`Not a valid URL: ${JSON.stringify(input)}`, { cause: error });
  }
  // Credentials stay out of the message: it is shown to the client and logged.
  const shown = url.origin === 'null' ? '' : ` ${url.origin}`;
  const reason = urlBlockReason(url, false);
  if (reason !== undefined) throw new BlockedUrlError(`Refused URL${shown}: ${reason}`);
  const allowedPorts = options.allowedPorts ?? DEFAULT_ALLOWED_PORTS;
  const port = effectivePort(url);
  if (allowedPorts !== 'any' && !allowedPorts.includes(port)) {
    throw new BlockedUrlError(`Refused URL${shown}: port ${port} is not allowed`);
  }
  const hostname = bareHostname(url).toLowerCase().replace(/\.$/, '');
  // RFC 6761: these names always mean this machine, whatever DNS says.
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    throw new BlockedUrlError(`Refused URL${shown}: ${hostname} is this machine`);
  }
  return url;
}
