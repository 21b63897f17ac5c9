import { FakeDns, startFakeDns } from './support/domain-connect-fakes';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

const VERIFY_TOKEN = 'pmBGN/7MjnfhTKUZ06Enqq1PeGUaOkw8lGhcfwefcHU=';

describe('email sender domains: health looks the SES verification TXT record up on a real DNS server', () => {
  let dns: FakeDns;
  let t: TestHub;

  beforeAll(async () => {
    dns = await startFakeDns();
    t = await startTestHub({ env: { DNS_SERVERS: `127.0.0.1:${dns.port}` } });
  });
  afterAll(async () => {
    await t?.close();
    await dns?.close();
  });

  const createDomain = async (domain: string) => {
    const res = await http(t.url, 'POST', `/api/projects/${t.projectId}/integrations/`, {
      key: t.key,
      body: { kind: 'email', config: { domain, verify_token: VERIFY_TOKEN, dkim_tokens: ['dk1', 'dk2', 'dk3'], region: 'eu-west-1' } },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const health = (id: string) => http(t.url, 'GET', `/api/integrations/email/health?integrationId=${id}`, { key: t.key });

  const dkimRecords = (domain: string, states: string[]) => ['dk1', 'dk2', 'dk3'].map((t, i) => ({ name: `${t}._domainkey.${domain}`, state: states[i] }));
  const publishDkim = (domain: string) => {
    for (const t of ['dk1', 'dk2', 'dk3']) dns.cname.set(`${t}._domainkey.${domain}`, `${t}.dkim.amazonses.com`);
  };

  it('is healthy when _amazonses.<domain> carries the verification token and the three DKIM CNAMEs point at SES', async () => {
    dns.txt.set('_amazonses.verified.example.com', VERIFY_TOKEN);
    publishDkim('verified.example.com');
    const id = await createDomain('verified.example.com');
    const queriesBefore = dns.queries.length;
    const res = await health(id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      healthy: true,
      checkedAt: expect.any(String),
      details: { integrationId: id, domain: 'verified.example.com', verificationRecord: 'found', dkimConfigured: true, dkimRecords: dkimRecords('verified.example.com', ['found', 'found', 'found']) },
    });
    expect(Date.parse(res.body.checkedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(dns.queries.slice(queriesBefore).sort()).toEqual(['_amazonses.verified.example.com', 'dk1._domainkey.verified.example.com', 'dk2._domainkey.verified.example.com', 'dk3._domainkey.verified.example.com']);
  });

  it('with only the verification TXT it is unhealthy, and tells a missing, a wrong and a failed DKIM lookup apart', async () => {
    const domain = 'halfdone.example.com';
    dns.txt.set(`_amazonses.${domain}`, VERIFY_TOKEN);
    const id = await createDomain(domain);
    const bare = await health(id);
    expect(bare.body).toMatchObject({ healthy: false, details: { verificationRecord: 'found', dkimConfigured: false, dkimRecords: dkimRecords(domain, ['missing', 'missing', 'missing']) } });

    dns.cname.set(`dk1._domainkey.${domain}`, 'dk1.dkim.amazonses.com');
    dns.cname.set(`dk2._domainkey.${domain}`, 'SERVFAIL');
    dns.cname.set(`dk3._domainkey.${domain}`, 'dk3.dkim.elsewhere.example');
    const mixed = await health(id);
    expect(mixed.body).toMatchObject({ healthy: false, details: { dkimConfigured: false, dkimRecords: dkimRecords(domain, ['found', 'dns_error', 'wrong']) } });

    dns.txt.set(`_amazonses.${domain}`, 'SERVFAIL');
    publishDkim(domain);
    const txtDown = await health(id);
    expect(txtDown.body).toMatchObject({ healthy: false, details: { verificationRecord: 'dns_error', dkimConfigured: true } });
  });

  it('is unhealthy while the record is missing or holds another token, and healthy once it is published (no caching)', async () => {
    const id = await createDomain('unverified.example.com');
    const missing = await health(id);
    expect(missing.status).toBe(200);
    expect(missing.body).toEqual({
      healthy: false,
      checkedAt: expect.any(String),
      details: { integrationId: id, domain: 'unverified.example.com', verificationRecord: 'missing', dkimConfigured: false, dkimRecords: dkimRecords('unverified.example.com', ['missing', 'missing', 'missing']) },
    });
    expect(dns.queries).toContain('_amazonses.unverified.example.com');

    dns.txt.set('_amazonses.unverified.example.com', 'someone-elses-token');
    const wrong = await health(id);
    expect(wrong.body).toMatchObject({ healthy: false, details: { verificationRecord: 'wrong' } });

    dns.txt.set('_amazonses.unverified.example.com', VERIFY_TOKEN);
    publishDkim('unverified.example.com');
    const published = await health(id);
    expect(published.body).toMatchObject({ healthy: true, details: { domain: 'unverified.example.com', verificationRecord: 'found' } });
  });
  /*
   * PostHog's email shape (PostHog/posthog posthog/models/integration/email.py, create_native_integration): the
   * sender `email` and `name`; the domain is the address's, free webmail domains are refused with upstream's text, and
   * the config answers `email`, `domain`, `mail_from_subdomain`, `name`, `provider` and `verified`.
   */
  it("accepts PostHog's {email, name} shape; verified follows the last health check", async () => {
    const domain = 'posthog-shape.example.com';
    const base = `/api/projects/${t.projectId}/integrations/`;
    const tokens = { verify_token: VERIFY_TOKEN, dkim_tokens: ['dk1', 'dk2', 'dk3'], region: 'eu-west-1' };
    const created = await http(t.url, 'POST', base, { key: t.key, body: { kind: 'email', config: { email: `Hello@${domain.toUpperCase()}`, name: 'Example Co', ...tokens } } });
    expect(created.status).toBe(201);
    expect(created.body.config).toMatchObject({ email: `hello@${domain}`, name: 'Example Co', domain, provider: 'ses', verified: false, mail_from_subdomain: null });
    expect(created.body.display_name).toBe(domain);

    dns.txt.set(`_amazonses.${domain}`, VERIFY_TOKEN);
    publishDkim(domain);
    expect((await health(created.body.id)).body.healthy).toBe(true);
    expect((await http(t.url, 'GET', `${base}${created.body.id}/`, { key: t.key })).body.config.verified).toBe(true);

    const refused = await http(t.url, 'POST', base, { key: t.key, body: { kind: 'email', config: { email: 'someone@gmail.com', name: 'Me', ...tokens } } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: 'validation_error', detail: 'Email domain gmail.com is not supported. Please use a custom domain.' });
    const mismatch = await http(t.url, 'POST', base, { key: t.key, body: { kind: 'email', config: { email: `a@${domain}`, domain: 'other.example.com', ...tokens } } });
    expect(mismatch.status).toBe(400);
    const noTokens = await http(t.url, 'POST', base, { key: t.key, body: { kind: 'email', config: { email: `a@${domain}`, name: 'A' } } });
    expect(noTokens.status).toBe(400);
    expect(noTokens.body.detail).toMatch(/^verify_token is required \(the hub does not create the SES identity/);
  });
});
