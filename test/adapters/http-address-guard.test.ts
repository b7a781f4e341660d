import { BlockedUrlError } from '../../shared/errors.js';
import {
  addressBlockReason,
  allowLoopbackOrigins,
  assertPublicUrl,
  isPublicAddress,
  urlBlockReason,
  type AddressTarget,
} from '../../shared/adapters/outbound-http/address-guard.js';

describe('addressBlockReason', () => {
  it.each([
    ['127.0.0.1', 'loopback address 127.0.0.1'],
    ['127.255.0.9', 'loopback address 127.255.0.9'],
    ['10.1.2.3', 'private address 10.1.2.3'],
    ['172.16.0.1', 'private address 172.16.0.1'],
    ['172.31.255.255', 'private address 172.31.255.255'],
    ['192.168.1.1', 'private address 192.168.1.1'],
    ['169.254.169.254', 'linkLocal address 169.254.169.254'],
    ['100.64.0.1', 'carrierGradeNat address 100.64.0.1'],
    ['100.127.255.254', 'carrierGradeNat address 100.127.255.254'],
    ['0.0.0.0', 'unspecified address 0.0.0.0'],
    ['0.1.2.3', 'unspecified address 0.1.2.3'],
    ['224.0.0.1', 'multicast address 224.0.0.1'],
    ['255.255.255.255', 'broadcast address 255.255.255.255'],
    ['240.0.0.1', 'reserved address 240.0.0.1'],
    ['192.0.2.1', 'reserved address 192.0.2.1'],
    ['198.18.0.1', 'reserved address 198.18.0.1'],
    ['::1', 'loopback address ::1'],
    ['::', 'unspecified address ::'],
    ['fe80::1', 'linkLocal address fe80::1'],
    ['fe80::1%eth0', 'linkLocal address fe80::1%eth0'],
    ['fc00::1', 'uniqueLocal address fc00::1'],
    ['fd12:3456::1', 'uniqueLocal address fd12:3456::1'],
    ['ff02::1', 'multicast address ff02::1'],
    ['fec0::1', 'deprecatedSiteLocal address fec0::1'],
    ['2001:db8::1', 'reserved address 2001:db8::1'],
    ['100::1', 'discard address 100::1'],
    ['::ffff:127.0.0.1', 'loopback address 127.0.0.1 (embedded in ::ffff:7f00:1)'],
    ['::ffff:169.254.169.254', 'linkLocal address 169.254.169.254 (embedded in ::ffff:a9fe:a9fe)'],
    ['::ffff:10.0.0.1', 'private address 10.0.0.1 (embedded in ::ffff:a00:1)'],
    ['64:ff9b::a00:1', 'private address 10.0.0.1 (embedded in 64:ff9b::a00:1)'],
    ['2002:a9fe:a9fe::1', 'linkLocal address 169.254.169.254 (embedded in 2002:a9fe:a9fe::1)'],
    ['::7f00:1', 'non-global IPv6 address ::7f00:1'],
    ['2001::1', 'teredo address 2001::1'],
    ['metadata.google.internal', 'unparsable address metadata.google.internal'],
    ['', 'unparsable address '],
  ])('refuses %s', (address, reason) => {
    expect(addressBlockReason(address)).toBe(reason);
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.15.255.255',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows public %s', (address) => {
    expect(addressBlockReason(address)).toBeUndefined();
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('allowLoopbackOrigins', () => {
  const policy = allowLoopbackOrigins(['http://127.0.0.1:8123', 'http://site.test:8123/']);
  const target = (overrides: Partial<AddressTarget>): AddressTarget => ({
    address: '127.0.0.1',
    hostname: '127.0.0.1',
    port: 8123,
    protocol: 'http:',
    origin: 'http://127.0.0.1:8123',
    ...overrides,
  });

  it('allows loopback for a listed origin, including ::1 and a listed name', () => {
    expect(policy(target({}))).toBe(true);
    expect(policy(target({ address: '::1' }))).toBe(true);
    expect(policy(target({ hostname: 'site.test', origin: 'http://site.test:8123' }))).toBe(true);
  });

  it('refuses another port, another scheme, another name, and non-loopback addresses for a listed origin', () => {
    expect(policy(target({ port: 8124, origin: 'http://127.0.0.1:8124' }))).toBe(false);
    expect(policy(target({ protocol: 'https:', origin: 'https://127.0.0.1:8123' }))).toBe(false);
    expect(policy(target({ hostname: 'rebind.test', origin: 'http://rebind.test:8123' }))).toBe(false);
    expect(policy(target({ address: '10.0.0.1' }))).toBe(false);
    expect(policy(target({ address: '169.254.169.254' }))).toBe(false);
  });
});

describe('urlBlockReason (every fetch and redirect hop)', () => {
  it.each([
    ['https://www.state.gov/reports/2023-country-reports-on-human-rights-practices/kazakhstan/', false, undefined],
    ['http://example.org:8080/x', false, undefined],
    ['http://93.184.216.34/', false, undefined],
    ['http://127.0.0.1:8123/', false, 'loopback address 127.0.0.1'],
    ['http://127.0.0.1:8123/', true, undefined],
    ['http://127.0.0.1:8123/', allowLoopbackOrigins(['http://127.0.0.1:8123']), undefined],
    ['http://127.0.0.1:8124/', allowLoopbackOrigins(['http://127.0.0.1:8123']), 'loopback address 127.0.0.1'],
    ['http://[::1]:8123/', false, 'loopback address ::1'],
    ['http://0x7f.1/', false, 'loopback address 127.0.0.1'],
    ['http://2130706433/', false, 'loopback address 127.0.0.1'],
    ['http://169.254.169.254/latest/meta-data/', false, 'linkLocal address 169.254.169.254'],
    [
      'http://[::ffff:169.254.169.254]/',
      allowLoopbackOrigins(['http://[::ffff:169.254.169.254]']),
      'linkLocal address 169.254.169.254 (embedded in ::ffff:a9fe:a9fe)',
    ],
    ['ftp://example.org/', false, 'scheme ftp: is not http or https'],
    ['http://a:b@example.org/', false, 'credentials in URL'],
    ['http://example.org:25/', false, 'port 25 is not fetchable'],
  ] as const)('%s (policy %p) -> %p', (url, policy, reason) => {
    expect(urlBlockReason(new URL(url), policy)).toBe(reason);
  });
});

describe('assertPublicUrl (API-time validation)', () => {
  it.each([
    'https://www.state.gov/reports/2024-country-reports-on-human-rights-practices/kazakhstan',
    'http://example.org/',
    'https://example.org:8443/a?b=c',
    'http://93.184.216.34/',
  ])('accepts %s', (url) => {
    expect(assertPublicUrl(url).href).toBe(new URL(url).href);
  });

  it.each([
    ['not a url', 'Not a valid URL: "not a url"'],
    ['ftp://example.org/file', 'Refused URL ftp://example.org: scheme ftp: is not http or https'],
    ['file:///etc/passwd', 'Refused URL: scheme file: is not http or https'],
    ['javascript:alert(1)', 'Refused URL: scheme javascript: is not http or https'],
    ['http://user:secret@example.org/', 'Refused URL http://example.org: credentials in URL'],
    ['http://127.0.0.1/', 'Refused URL http://127.0.0.1: loopback address 127.0.0.1'],
    ['http://[::1]/', 'Refused URL http://[::1]: loopback address ::1'],
    ['http://0x7f.1/', 'Refused URL http://127.0.0.1: loopback address 127.0.0.1'],
    ['http://169.254.169.254/latest/meta-data/', 'Refused URL http://169.254.169.254: linkLocal address 169.254.169.254'],
    ['http://[::ffff:a9fe:a9fe]/', 'Refused URL http://[::ffff:a9fe:a9fe]: linkLocal address 169.254.169.254 (embedded in ::ffff:a9fe:a9fe)'],
    ['http://10.0.0.1/', 'Refused URL http://10.0.0.1: private address 10.0.0.1'],
    ['http://[fd00::1]/', 'Refused URL http://[fd00::1]: uniqueLocal address fd00::1'],
    ['http://localhost:8080/', 'Refused URL http://localhost:8080: localhost is this machine'],
    ['http://reports.localhost./', 'Refused URL http://reports.localhost.: reports.localhost is this machine'],
    ['http://example.org:22/', 'Refused URL http://example.org:22: port 22 is not fetchable'],
    ['http://example.org:6379/', 'Refused URL http://example.org:6379: port 6379 is not allowed'],
  ])('refuses %s', (url, message) => {
    let caught: unknown;
    try {
      assertPublicUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BlockedUrlError);
    expect((caught as BlockedUrlError).message).toBe(message);
    expect((caught as BlockedUrlError).status).toBe(400);
    expect((caught as BlockedUrlError).expose).toBe(true);
  });

  it('lets the caller widen the allowed ports, but never to a browser bad port', () => {
    expect(assertPublicUrl('http://example.org:6379/', { allowedPorts: 'any' }).port).toBe('6379');
    expect(assertPublicUrl('http://example.org:9000/', { allowedPorts: [9000] }).port).toBe('9000');
    expect(() => assertPublicUrl('http://example.org:25/', { allowedPorts: 'any' })).toThrow('port 25 is not fetchable');
  });
});
