import { allowListOf, categoryOf, refusedAddress, refusedUrl, unmapped } from './target-guard.util';

describe('webhook target guard', () => {
  const strict = { allowed: allowListOf([]), requireHttps: true };

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['::', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['64:ff9b::a00:1', 'reserved'],
    ['2002:a00:1::', 'reserved'],
  ])('classifies %s as %s', (address, category) => {
    expect(categoryOf(address)).toBe(category);
    expect(refusedAddress(address, strict)).toContain(category);
  });

  it.each(['8.8.8.8', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '100.128.0.1'])('lets the public address %s through', (address) => {
    expect(categoryOf(address)).toBeUndefined();
    expect(refusedAddress(address, strict)).toBeUndefined();
  });

  it('sees through IPv4-mapped IPv6 addresses, dotted or hex', () => {
    expect(unmapped('::ffff:10.0.0.1')).toEqual({ address: '10.0.0.1', family: 'ipv4' });
    expect(unmapped('::ffff:a00:1')).toEqual({ address: '10.0.0.1', family: 'ipv4' });
    expect(unmapped('0:0:0:0:0:ffff:7f00:1')).toEqual({ address: '127.0.0.1', family: 'ipv4' });
    expect(refusedAddress('::ffff:127.0.0.1', strict)).toContain('loopback');
    expect(refusedAddress('::ffff:a9fe:a9fe', strict)).toContain('link-local');
    expect(refusedAddress('::ffff:8.8.8.8', strict)).toBeUndefined();
  });

  it('allows what the operator configured, and nothing more', () => {
    const loopback = { allowed: allowListOf(['loopback']), requireHttps: false };
    expect(refusedAddress('127.0.0.1', loopback)).toBeUndefined();
    expect(refusedAddress('::1', loopback)).toBeUndefined();
    expect(refusedAddress('::ffff:127.0.0.1', loopback)).toBeUndefined();
    expect(refusedAddress('10.0.0.1', loopback)).toContain('private');
    expect(refusedAddress('169.254.169.254', loopback)).toContain('link-local');
    const cidr = { allowed: allowListOf(['10.1.0.0/16', 'fd00::/8']), requireHttps: true };
    expect(refusedAddress('10.1.9.9', cidr)).toBeUndefined();
    expect(refusedAddress('10.2.0.1', cidr)).toContain('private');
    expect(refusedAddress('fd00::5', cidr)).toBeUndefined();
  });

  it('refuses a malformed allow list, naming the item', () => {
    expect(() => allowListOf(['everything'])).toThrow('"everything"');
    expect(() => allowListOf(['10.0.0.0/33'])).toThrow('"10.0.0.0/33"');
    expect(() => allowListOf(['10.0.0/8'])).toThrow('"10.0.0/8"');
  });

  it('checks a subscription URL: scheme, credentials, literal addresses, localhost', () => {
    expect(refusedUrl('https://hooks.example.com/jobstream', strict)).toBeUndefined();
    expect(refusedUrl('http://hooks.example.com/x', strict)).toContain('https');
    expect(refusedUrl('ftp://hooks.example.com/x', strict)).toContain('http(s)');
    expect(refusedUrl('not a url', strict)).toBe('is not a URL');
    expect(refusedUrl('https://user:pw@hooks.example.com/', strict)).toContain('credentials');
    expect(refusedUrl('https://127.0.0.1/x', strict)).toContain('loopback');
    expect(refusedUrl('https://[::ffff:10.0.0.1]/x', strict)).toContain('private');
    expect(refusedUrl('https://169.254.169.254/latest/meta-data', strict)).toContain('link-local');
    expect(refusedUrl('https://localhost:8443/x', strict)).toContain('loopback');
    expect(refusedUrl('http://127.0.0.1:9000/x', { allowed: allowListOf(['loopback']), requireHttps: false })).toBeUndefined();
  });
});
