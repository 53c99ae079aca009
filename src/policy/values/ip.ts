// IP addresses and CIDR blocks (IPv4 and IPv6) for IpAddress / NotIpAddress.

export interface Cidr {
  v6: boolean;
  /** The address as 32-bit words (1 for IPv4, 4 for IPv6). */
  words: Uint32Array;
  prefix: number;
}

/** Parses `203.0.113.0/24`, `2001:db8::/32` or a single address (a /32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const max = address.v6 ? 128 : 32;
  let prefix = max;
  if (slash >= 0) {
    const digits = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(digits)) return undefined;
    prefix = Number(digits);
    if (prefix > max) return undefined;
  }
  return { v6: address.v6, words: address.words, prefix };
}

export interface IpAddress {
  v6: boolean;
  words: Uint32Array;
}

export function parseIp(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) return parseIpv6(trimmed);
  const v4 = parseIpv4(trimmed);
  return v4 === undefined ? undefined : { v6: false, words: Uint32Array.of(v4) };
}

function parseIpv4(text: string): number | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0;
  for (const octet of octets) {
    if (!/^\d{1,3}$/.test(octet)) return undefined;
    const n = Number(octet);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value >>> 0;
}

function parseIpv6(text: string): IpAddress | undefined {
  let body = text.toLowerCase();
  // A trailing dotted IPv4 (::ffff:192.0.2.1) becomes two groups.
  const lastColon = body.lastIndexOf(':');
  const tail = body.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === undefined) return undefined;
    body = body.slice(0, lastColon + 1) + (v4 >>> 16).toString(16) + ':' + (v4 & 0xffff).toString(16);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++) words[i] = ((parseInt(groups[2 * i], 16) << 16) | parseInt(groups[2 * i + 1], 16)) >>> 0;
  return { v6: true, words };
}

/** True when the address lies in the block (an IPv4 address is never in an IPv6 block, or the reverse). */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (cidr.v6 !== address.v6) return false;
  let bits = cidr.prefix;
  for (let i = 0; i < cidr.words.length && bits > 0; i++) {
    const take = Math.min(32, bits);
    const mask = take === 32 ? 0xffffffff : ~(0xffffffff >>> take) >>> 0;
    if (((cidr.words[i] & mask) >>> 0) !== ((address.words[i] & mask) >>> 0)) return false;
    bits -= take;
  }
  return true;
}
