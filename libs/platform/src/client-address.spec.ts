import { rateLimitClientKey } from './client-address';

describe('rateLimitClientKey', () => {
  it('keeps IPv4 addresses, also IPv4-mapped ones, as they are', () => {
    expect(rateLimitClientKey('192.0.2.1')).toBe('192.0.2.1');
    expect(rateLimitClientKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(rateLimitClientKey('::ffff:c000:201')).toBe('192.0.2.1');
    expect(rateLimitClientKey('::FFFF:127.0.0.1')).toBe('127.0.0.1');
  });

  it('gives every address of one IPv6 /64 the same key, and different /64s different ones', () => {
    const key = rateLimitClientKey('2001:db8:1:2::1');
    expect(key).toBe('2001:db8:1:2::/64');
    for (const a of ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002:0:0:0:abcd', '2001:db8:1:2:1:2:3:4%eth0', '2001:db8:1:2::1.2.3.4']) {
      expect(rateLimitClientKey(a)).toBe(key);
    }
    expect(rateLimitClientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(rateLimitClientKey('::1')).toBe('0:0:0:0::/64');
    expect(rateLimitClientKey('fe80::1%lo0')).toBe('fe80:0:0:0::/64');
  });

  it('leaves anything that is not an address alone', () => {
    expect(rateLimitClientKey('unknown')).toBe('unknown');
    expect(rateLimitClientKey('')).toBe('');
  });
});
