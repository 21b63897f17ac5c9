import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApplyUrl, buildQuery, publicKeyRecords, rfc3986, signQuery } from './domain-connect.signer';

interface Vectors {
  private_key_pem: string;
  public_key_spki_base64: string;
  sign_exact_string: Array<{ name: string; signed: string; sig_percent_encoded: string }>;
  full_apply_url: Array<{ name: string; urlSyncUX: string; providerId: string; serviceId: string; domain: string; variables: Record<string, string>; key: string; url: string }>;
}

// Known-answer vectors, kept in the repository so a clone anywhere runs this spec.
const vectors = JSON.parse(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'domain-connect-vectors.json'), 'utf8')) as Vectors;

describe('Domain Connect signer: known-answer vectors', () => {
  it.each(vectors.sign_exact_string.map((v) => [v.name, v] as const))('signs exactly: %s', (_name, v) => {
    expect(signQuery(v.signed, vectors.private_key_pem)).toBe(v.sig_percent_encoded);
  });

  it.each(vectors.full_apply_url.map((v) => [v.name, v] as const))('builds the apply URL byte for byte: %s', (_name, v) => {
    const url = buildApplyUrl({
      urlSyncUX: v.urlSyncUX,
      providerId: v.providerId,
      serviceId: v.serviceId,
      domain: v.domain,
      variables: v.variables,
      keyId: v.key,
      privateKey: vectors.private_key_pem,
    });
    expect(url).toBe(v.url);
  });

  it('publishes the vectors public key in 200-character chunks', () => {
    const records = publicKeyRecords(vectors.private_key_pem);
    expect(records.every((r) => /^p=\d+,a=RS256,d=[A-Za-z0-9+/=]{1,200}$/.test(r))).toBe(true);
    expect(records.map((r, i) => { expect(r.startsWith(`p=${i + 1},`)).toBe(true); return r.replace(/^p=\d+,a=RS256,d=/, ''); }).join('')).toBe(vectors.public_key_spki_base64);
  });
});

describe('Domain Connect signer', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('encodes per RFC 3986, including the characters encodeURIComponent leaves alone', () => {
    expect(rfc3986("a b!'()*~._-:/é")).toBe('a%20b%21%27%28%29%2A~._-%3A%2Fé'.replace('é', '%C3%A9'));
    expect(buildQuery({ b: '2', A: 'x y', a: '1' })).toBe('A=x%20y&a=1&b=2');
  });

  it('omits host at the apex, adds redirect_uri, and signs the query exactly as it appears before sig', () => {
    const url = buildApplyUrl({
      urlSyncUX: 'https://dc.example/sync/',
      providerId: 'hub.example',
      serviceId: 'reverse-proxy-us',
      domain: 'example.com',
      host: '',
      variables: { target: 'abc.proxy.example' },
      redirectUri: 'https://app.example/done?x=1&y=2',
      keyId: '_dcpubkeyv1',
      privateKey: pem,
    });
    const parsed = new URL(url);
    expect(parsed.pathname).toBe('/sync/v2/domainTemplates/providers/hub.example/services/reverse-proxy-us/apply');
    expect(parsed.searchParams.has('host')).toBe(false);
    expect(parsed.searchParams.get('redirect_uri')).toBe('https://app.example/done?x=1&y=2');
    expect(parsed.searchParams.get('key')).toBe('_dcpubkeyv1');
    const query = parsed.search.slice(1);
    const signed = query.slice(0, query.indexOf('&sig='));
    expect(signed).not.toContain('key=');
    const sig = Buffer.from(decodeURIComponent(/&sig=([^&]+)/.exec(query)![1]), 'base64');
    expect(verify('sha256', Buffer.from(signed), createPublicKey(privateKey), sig)).toBe(true);
  });
});
