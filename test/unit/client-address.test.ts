import { describe, expect, it } from 'vitest';
import { addressGroup } from '../../src/auth/client-address.js';

describe('the key a client address is counted under', () => {
  it('an IPv4 address is itself, also when seen through a dual-stack socket', () => {
    expect(addressGroup('203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('::ffff:cb00:7107')).toBe('203.0.113.7');
  });

  it('an IPv6 address counts as its /64, however it is written', () => {
    const network = '2001:db8:0:1::/64';
    for (const address of ['2001:db8:0:1::1', '2001:db8::1:0:0:0:1', '2001:0db8:0000:0001:ffff:ffff:ffff:ffff', '2001:DB8:0:1:a:b:c:d',
      '2001:db8:0:1::1%eth0', '2001:db8:0:1:0:0:192.0.2.1']) {
      expect(addressGroup(address), address).toBe(network);
    }
    expect(addressGroup('2001:db8:0:2::1')).toBe('2001:db8:0:2::/64');
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('fe80::1')).toBe('fe80:0:0:0::/64');
  });

  it('anything else is kept as it is', () => {
    expect(addressGroup('unknown')).toBe('unknown');
    expect(addressGroup('')).toBe('');
  });
});
