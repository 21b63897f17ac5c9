import { isPrivateAddress } from './address-guard';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1',
    '::1', '::', 'fe80::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '64:ff9b::10.0.0.1', 'not-an-ip',
    // IPv4 embedded in hex form: NAT64, IPv4-compatible, mapped, local-use NAT64 and 6to4.
    '64:ff9b::7f00:1', '::7f00:1', '2002:7f00:1::', '::ffff:7f00:1', '64:ff9b:1::a00:1', '2002:a9fe:a9fe::1', '::127.0.0.1',
  ])('refuses %s', (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(['140.82.112.3', '1.1.1.1', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '2002:808:808::1', '64:ff9b::808:808'])('allows %s', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false));
});
