import { BlockList, isIP } from 'node:net';

/**
 * Which destination addresses a webhook may reach. Outbound requests go wherever an operator (or
 * anyone holding an operator key) points them, so without this a subscription could make the
 * notifier probe the internal network or a cloud metadata endpoint (SSRF).
 */
export interface TargetPolicy {
  /** Addresses an operator explicitly allowed, checked before the refused ranges. */
  readonly allowed: BlockList;
  readonly requireHttps: boolean;
}

/** Ranges that are not the public internet, by the name an operator can allow them with. */
const SPECIAL_V4: readonly (readonly [string, number, Category])[] = [
  ['0.0.0.0', 8, 'reserved'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'], // carrier-grade NAT
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // includes 169.254.169.254, the cloud metadata service
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // includes 255.255.255.255
];

const SPECIAL_V6: readonly (readonly [string, number, Category])[] = [
  ['::', 128, 'reserved'],
  ['::1', 128, 'loopback'],
  ['64:ff9b::', 96, 'reserved'], // NAT64 can embed any IPv4 address, private ones included
  ['64:ff9b:1::', 48, 'reserved'],
  ['100::', 64, 'reserved'],
  ['2001::', 23, 'reserved'], // includes Teredo (2001::/32), which tunnels to embedded IPv4
  ['2001:db8::', 32, 'reserved'],
  ['2002::', 16, 'reserved'], // 6to4 embeds an IPv4 address
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'reserved'],
  ['ff00::', 8, 'multicast'],
];

export type Category = 'loopback' | 'private' | 'link-local' | 'multicast' | 'reserved';
const CATEGORIES: readonly Category[] = ['loopback', 'private', 'link-local', 'multicast', 'reserved'];

/** `::ffff:10.0.0.1` and `::ffff:a00:1` are IPv4 addresses in disguise: check them as IPv4. */
export function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const version = isIP(address);
  if (version === 4) return { address, family: 'ipv4' };
  if (version !== 6) throw new Error(`${address} is not an IP address`);
  const lower = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return { address: dotted[1], family: 'ipv4' };
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return { address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, family: 'ipv4' };
  }
  return { address: lower, family: 'ipv6' };
}

const special = new Map<Category, BlockList>();
for (const category of CATEGORIES) special.set(category, new BlockList());
for (const [net, prefix, category] of SPECIAL_V4) special.get(category)!.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix, category] of SPECIAL_V6) special.get(category)!.addSubnet(net, prefix, 'ipv6');

/** The non-public category of an address, or undefined when it is a public unicast address. */
export function categoryOf(address: string): Category | undefined {
  const { address: a, family } = unmapped(address);
  return CATEGORIES.find((c) => special.get(c)!.check(a, family));
}

/**
 * Parses WEBHOOK_ALLOW_PRIVATE_TARGETS items: a category name (`loopback`, `private`,
 * `link-local`) or a CIDR (`10.1.0.0/16`, `fd00::/8`). Throws naming the bad item.
 */
export function allowListOf(items: readonly string[]): BlockList {
  const allowed = new BlockList();
  for (const item of items) {
    const named = ([['loopback', 'loopback'], ['private', 'private'], ['link-local', 'link-local']] as const).find(([n]) => n === item);
    if (named) {
      for (const [net, prefix, category] of SPECIAL_V4) if (category === named[1]) allowed.addSubnet(net, prefix, 'ipv4');
      for (const [net, prefix, category] of SPECIAL_V6) if (category === named[1]) allowed.addSubnet(net, prefix, 'ipv6');
      continue;
    }
    const m = /^([^/]+)\/(\d{1,3})$/.exec(item);
    const version = m ? isIP(m[1]) : 0;
    const prefix = m ? Number(m[2]) : -1;
    if (!m || version === 0 || prefix > (version === 4 ? 32 : 128)) {
      throw new Error(`"${item}" is neither loopback, private, link-local nor an IPv4/IPv6 CIDR`);
    }
    allowed.addSubnet(m[1], prefix, version === 4 ? 'ipv4' : 'ipv6');
  }
  return allowed;
}

/** Why an address may not be connected to, or undefined when it may. */
export function refusedAddress(address: string, policy: TargetPolicy): string | undefined {
  const { address: a, family } = unmapped(address);
  if (policy.allowed.check(a, family)) return undefined;
  const category = categoryOf(a);
  return category ? `${address} is a ${category} address` : undefined;
}

/**
 * Checks a subscription's target URL before anything is stored: scheme, no credentials in it,
 * and, for an IP literal host, the address. Host names are checked again at every delivery,
 * after resolution, since what a name points at can change.
 */
export function refusedUrl(raw: string, policy: TargetPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (policy.requireHttps && url.protocol !== 'https:') return 'must be an https URL (WEBHOOK_REQUIRE_HTTPS)';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.hash) return 'must not have a fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return refusedAddress(host, policy);
  if (!/^[a-z0-9.-]+$/i.test(host) || host.length > 253) return 'has an invalid host name';
  if (/^localhost$|\.localhost$/i.test(host)) return refusedAddress('127.0.0.1', policy) && `${host} is a loopback host`;
  return undefined;
}
