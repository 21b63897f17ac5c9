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

  it('is healthy when _amazonses.<domain> carries the verification token', async () => {
    dns.txt.set('_amazonses.verified.example.com', VERIFY_TOKEN);
    const id = await createDomain('verified.example.com');
    const queriesBefore = dns.queries.length;
    const res = await health(id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ healthy: true, checkedAt: expect.any(String), details: { integrationId: id, domain: 'verified.example.com', verificationRecord: 'found' } });
    expect(Date.parse(res.body.checkedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(dns.queries.slice(queriesBefore)).toEqual(['_amazonses.verified.example.com']);
  });

  it('is unhealthy while the record is missing or holds another token, and healthy once it is published (no caching)', async () => {
    const id = await createDomain('unverified.example.com');
    const missing = await health(id);
    expect(missing.status).toBe(200);
    expect(missing.body).toEqual({ healthy: false, checkedAt: expect.any(String), details: { integrationId: id, domain: 'unverified.example.com', verificationRecord: 'missing' } });
    expect(dns.queries).toContain('_amazonses.unverified.example.com');

    dns.txt.set('_amazonses.unverified.example.com', 'someone-elses-token');
    const wrong = await health(id);
    expect(wrong.body).toMatchObject({ healthy: false, details: { verificationRecord: 'missing' } });

    dns.txt.set('_amazonses.unverified.example.com', VERIFY_TOKEN);
    const published = await health(id);
    expect(published.body).toMatchObject({ healthy: true, details: { domain: 'unverified.example.com', verificationRecord: 'found' } });
  });
});
