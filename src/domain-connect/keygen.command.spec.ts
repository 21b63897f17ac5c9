import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDomainConnectKey, runDomainConnectKeygen } from './keygen.command';

describe('domain-connect:keygen', () => {
  it('creates a working RSA key pair and its TXT records', () => {
    const { privateKeyPem, records } = generateDomainConnectKey();
    const key = createPrivateKey(privateKeyPem);
    const spki = records.map((r) => r.replace(/^p=\d+,a=RS256,d=/, '')).join('');
    const pub = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
    expect(verify('sha256', Buffer.from('a=1'), pub, sign('sha256', Buffer.from('a=1'), key))).toBe(true);
  });

  it('writes the private key with mode 0600 and prints where to publish the records', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dc-keygen-'));
    const out = join(dir, 'dc.pem');
    const lines: string[] = [];
    try {
      runDomainConnectKeygen(['--out', out, '--key-id', '_dck2', '--domain', 'hub.example.com'], (l) => lines.push(l));
      expect(readFileSync(out, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(lines).toContain('Publish these TXT records at _dck2.hub.example.com:');
      expect(lines.some((l) => /^p=1,a=RS256,d=/.test(l))).toBe(true);
      expect(lines.join('\n')).not.toContain('BEGIN PRIVATE KEY');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
