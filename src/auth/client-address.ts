// The key a client address is counted under by the per-address limits. One IPv6 host, or one
// home or office network, holds a whole /64 (2^64 addresses): counting single IPv6 addresses would
// let it dodge every per-address limit by changing its address. IPv4 addresses count one by one.
import { isIPv4, isIPv6 } from 'node:net';

export function addressGroup(ip: string): string {
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const hextets = expandIPv6(ip);
  // An IPv4 client seen through a dual-stack socket (::ffff:192.0.2.1) is that IPv4 client.
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) {
    return [hextets[6]! >> 8, hextets[6]! & 0xff, hextets[7]! >> 8, hextets[7]! & 0xff].join('.');
  }
  return `${hextets.slice(0, 4).map((h) => h.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address ("::" expanded, an IPv4 tail converted, a zone dropped). */
function expandIPv6(ip: string): number[] {
  let address = ip.split('%')[0]!;
  const tailStart = address.lastIndexOf(':') + 1;
  const tail = address.slice(tailStart);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    address = `${address.slice(0, tailStart)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = address.split('::') as [string, string | undefined];
  const groups = (text: string) => (text === '' ? [] : text.split(':'));
  const before = groups(head);
  const after = rest === undefined ? [] : groups(rest);
  const zeros = rest === undefined ? [] : Array<string>(8 - before.length - after.length).fill('0');
  return [...before, ...zeros, ...after].map((group) => parseInt(group, 16));
}
