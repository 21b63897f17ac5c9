import { BlockList, isIP } from 'node:net';
import { invalidUrl } from '../common.errors';
import { ErrorCode } from '../error-codes';
import { HubError } from '../hub-error';

/** Addresses an outbound call must never reach unless OUTBOUND_ALLOW_PRIVATE=true. */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['fd00:ec2::', 32], // AWS IMDS over IPv6
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** The 16 bytes of an IPv6 literal (`isIP(ip) === 6`), a trailing dotted IPv4 included. */
function ipv6Bytes(ip: string): number[] {
  let text = ip.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const n = parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  });
}

/**
 * The IPv4 address an IPv6 address carries and routes to: IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96),
 * NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and 6to4 (2002::/16), in dotted or hex form.
 */
function embeddedIpv4(bytes: number[]): string | null {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number) => bytes.slice(at, at + 4).join('.');
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12);
  if (zeros(0, 12) && !zeros(12, 16)) return v4(12);
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && (zeros(4, 12) || (bytes[4] === 0 && bytes[5] === 1))) return v4(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2);
  return null;
}

/** Whether an IP literal is private, loopback, link-local, metadata or otherwise not a public internet host. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) {
    const embedded = embeddedIpv4(ipv6Bytes(ip));
    if (embedded) return blocked.check(embedded, 'ipv4');
    return blocked.check(ip.toLowerCase(), 'ipv6');
  }
  return true; // not an IP at all: refuse rather than guess
}

/** A destination the caller chose (a URL or host in its input or configuration) that the guard refuses: 400. */
export class OutboundBlockedError extends HubError {
  constructor(readonly host: string, readonly address?: string) {
    super(ErrorCode.OutboundBlocked, `Outbound call to ${host}${address && address !== host ? ` (${address})` : ''} refused: private, loopback, link-local and metadata addresses are not allowed`);
  }
}

/** The parsed http(s) URL, or a 400 naming what is wrong: never `TypeError: Invalid URL`. */
export function parseOutboundUrl(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || !parsed.hostname) {
    throw invalidUrl(`Not a valid http(s) URL: ${url.length > 200 ? `${url.slice(0, 200)}…` : url}`);
  }
  return parsed;
}
