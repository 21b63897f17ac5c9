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

/** Whether an IP literal is private, loopback, link-local, metadata or otherwise not a public internet host. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) {
    const lower = ip.toLowerCase();
    // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses: judge the embedded IPv4.
    const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(lower, 'ipv6');
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
