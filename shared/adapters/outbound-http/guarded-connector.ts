import { lookup as dnsLookup } from 'node:dns/promises';
import net from 'node:net';
import type { buildConnector as BuildConnector } from 'undici';
import { buildConnector } from './undici-core.js';
import { addressBlockReason, isAddressAllowed, type AddressTarget, type PrivateAddressPolicy } from './address-guard.js';

/** Resolve a hostname to every address it has (the shape of `dns.lookup(name, {all: true})`). */
export type HostLookup = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The connection was refused by the address guard; no socket was opened. */
export class BlockedAddressError extends Error {
  readonly code = 'REDLINE_BLOCKED_ADDRESS';
  constructor(
    message: string,
    readonly hostname: string,
  ) {
    super(message);
    this.name = 'BlockedAddressError';
  }
}

/** The hostname did not resolve within the connect timeout. */
export class LookupTimeoutError extends Error {
  readonly code = 'REDLINE_LOOKUP_TIMEOUT';
  constructor(readonly hostname: string) {
    super(`DNS lookup of ${hostname} timed out`);
    this.name = 'LookupTimeoutError';
  }
}

export interface GuardedConnectorOptions {
  policy: PrivateAddressPolicy;
  lookup?: HostLookup;
  /** Bounds the DNS lookup, and separately the TCP/TLS handshake. */
  connectTimeoutMs: number;
}

/**
 * An undici connector that resolves the hostname itself, drops every address the policy refuses, and connects to the
 * first vetted address by IP (TLS still verifies the certificate for the hostname, via SNI from the Host). Because the
 * check happens here, on the address actually dialled, a name that resolves to a public address once and to
 * 127.0.0.1 or 169.254.169.254 the next time (DNS rebinding) is refused at the second connection.
 */
export function createGuardedConnector(options: GuardedConnectorOptions): BuildConnector.connector {
  const lookup = options.lookup ?? systemLookup;
  const dial = buildConnector({ timeout: options.connectTimeoutMs });
  return (connectOptions, callback) => {
    vetAddress(connectOptions, options.policy, lookup, options.connectTimeoutMs).then(
      (address) => {
        try {
          dial({ ...connectOptions, hostname: address }, callback);
        } catch (error) {
          callback(error instanceof Error ? error : new Error(String(error)), null);
        }
      },
      (error: Error) => {
        callback(error, null);
      },
    );
  };
}

async function vetAddress(
  connectOptions: BuildConnector.Options,
  policy: PrivateAddressPolicy,
  lookup: HostLookup,
  timeoutMs: number,
): Promise<string> {
  const { hostname, protocol } = connectOptions;
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new BlockedAddressError(`Refusing to connect with scheme ${protocol}`, hostname);
  }
  const port = Number(connectOptions.port) || (protocol === 'https:' ? 443 : 80);
  const origin = new URL(`${protocol}//${connectOptions.host ?? hostname}`).origin;
  const candidates = net.isIP(hostname) !== 0 ? [hostname] : (await withTimeout(lookup(hostname), timeoutMs, hostname)).map((entry) => entry.address);
  if (candidates.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  const refused: string[] = [];
  for (const address of candidates) {
    const target: AddressTarget = { address, hostname, port, protocol, origin };
    if (isAddressAllowed(target, policy)) return address;
    refused.push(addressBlockReason(address) ?? address);
  }
  throw new BlockedAddressError(`Refusing to connect to ${hostname}: ${refused.join(', ')}`, hostname);
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, hostname: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new LookupTimeoutError(hostname)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
