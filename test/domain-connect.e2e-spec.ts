import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntegrationProvider } from '../src/integrations/integration.enums';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { FakeDns, FakeHttps, makeTestCa, startFakeDns, startFakeHttps, TestCa } from './support/domain-connect-fakes';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser } from './support/identity';

const PROVIDER_ID = 'hub.example.test';
const SYNC_UX = 'https://sync.dns-provider.test/dc';

/** Settings behavior per apex: a normal provider, one without the sync flow, 404 and 503. */
const settingsFor = new Map<string, 'ok' | 'nosync' | 404 | 503>();

describe('Domain Connect', () => {
  let ca: TestCa;
  let dns: FakeDns;
  let provider: FakeHttps;
  let t: TestHub;
  let endpoint: string;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const check = (domain?: string) => http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/domain-connect/check${domain === undefined ? '' : `?domain=${encodeURIComponent(domain)}`}`, { key: t.key });
  const applyUrl = (body: Record<string, unknown>, key = t.key) => http(t.url, 'POST', `/api/projects/${t.projectId}/integrations/domain-connect/apply-url/`, { key, body });
  const settingsHits = (apex: string) => provider.hits.filter((h) => h === `/dc/v2/${apex}/settings`).length;

  beforeAll(async () => {
    ca = makeTestCa();
    dns = await startFakeDns();
    provider = await startFakeHttps(ca, (req, res) => {
      const settings = /^\/dc\/v2\/([^/]+)\/settings$/.exec(req.url ?? '');
      if (settings) {
        const behavior = settingsFor.get(settings[1]) ?? 404;
        if (typeof behavior === 'number') return res.writeHead(behavior).end();
        const body = behavior === 'ok'
          ? { providerId: 'loopback', providerName: 'Loopback', urlSyncUX: SYNC_UX, urlAPI: `https://127.0.0.1:${provider.port}/dc` }
          : { providerId: 'loopback', providerName: 'Loopback' };
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      }
      const template = /^\/dc\/v2\/domainTemplates\/providers\/hub\.example\.test\/services\/([^/]+)$/.exec(req.url ?? '');
      if (template?.[1] === 'reverse-proxy-us') return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      res.writeHead(404).end();
    });
    endpoint = `127.0.0.1:${provider.port}/dc`;
    const keyFile = join(ca.dir, 'dc.pem');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    t = await startTestHub({
      env: {
        DNS_SERVERS: `127.0.0.1:${dns.port}`,
        OUTBOUND_EXTRA_CA_CERTS: `@${ca.caFile}`,
        DOMAIN_CONNECT_PROVIDERS: JSON.stringify([{ endpoint, name: 'Loopback DNS' }, { endpoint: 'domainconnect.vercel.com', name: 'Vercel' }]),
        DOMAIN_CONNECT_PRIVATE_KEY: `@${keyFile}`,
        DOMAIN_CONNECT_PROVIDER_ID: PROVIDER_ID,
      },
    });
    for (const apex of ['acme.com', 'example.co.uk', 'xn--bcher-kva.de']) {
      dns.txt.set(`_domainconnect.${apex}`, endpoint);
      settingsFor.set(apex, 'ok');
    }
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
    await dns?.close();
    ca?.close();
  });

  const allowList = () => [{ endpoint: endpoint, name: 'Loopback DNS' }, { endpoint: 'domainconnect.vercel.com', name: 'Vercel' }];

  describe('check', () => {
    it('requires a domain', async () => {
      const res = await check();
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ type: 'validation_error', code: 'domain_required', detail: 'domain query parameter is required', attr: 'domain' });
    });

    it('finds the provider of a subdomain through the apex, over verified TLS', async () => {
      const res = await check('shop.www.acme.com');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ supported: true, provider_name: 'Loopback DNS', available_providers: [] });
      expect(dns.queries).toContain('_domainconnect.acme.com');
      const uk = await check('mail.example.co.uk');
      expect(uk.body.supported).toBe(true);
      expect(dns.queries).toContain('_domainconnect.example.co.uk');
    });

    it('handles internationalized domain names', async () => {
      const res = await check('post.bücher.de');
      expect(res.body).toEqual({ supported: true, provider_name: 'Loopback DNS', available_providers: [] });
      expect(dns.queries).toContain('_domainconnect.xn--bcher-kva.de');
    });

    it('refuses endpoints that are not on the allow-list, without calling them, and offers the allow-list', async () => {
      dns.txt.set('_domainconnect.evil.com', `127.0.0.1:${provider.port}/elsewhere`);
      const before = provider.hits.length;
      const res = await check('evil.com');
      expect(res.body).toEqual({ supported: false, provider_name: null, available_providers: allowList() });
      expect(provider.hits.length).toBe(before);
    });

    it('answers unsupported when there is no record, or the settings lack urlSyncUX', async () => {
      expect((await check('norecord.com')).body).toEqual({ supported: false, provider_name: null, available_providers: allowList() });
      dns.txt.set('_domainconnect.nosync.com', endpoint);
      settingsFor.set('nosync.com', 'nosync');
      expect((await check('nosync.com')).body).toEqual({ supported: false, provider_name: 'Loopback DNS', available_providers: allowList() });
    });

    it('caches hits and definitive misses', async () => {
      const hits = settingsHits('acme.com');
      await check('acme.com');
      expect(settingsHits('acme.com')).toBe(hits);
      settingsFor.set('nosync.com', 'ok');
      expect((await check('nosync.com')).body.supported).toBe(false);
      dns.txt.set('_domainconnect.norecord.com', endpoint);
      settingsFor.set('norecord.com', 'ok');
      expect((await check('norecord.com')).body.supported).toBe(false);
    });

    it('never caches 5xx answers or DNS failures', async () => {
      dns.txt.set('_domainconnect.flaky.com', endpoint);
      settingsFor.set('flaky.com', 503);
      expect((await check('flaky.com')).body.supported).toBe(false);
      settingsFor.set('flaky.com', 'ok');
      expect((await check('flaky.com')).body.supported).toBe(true);

      dns.txt.set('_domainconnect.dnsfail.com', 'SERVFAIL');
      expect((await check('dnsfail.com')).body.supported).toBe(false);
      dns.txt.set('_domainconnect.dnsfail.com', endpoint);
      settingsFor.set('dnsfail.com', 'ok');
      expect((await check('dnsfail.com')).body.supported).toBe(true);
    });

    it('rejects names that are not domains', async () => {
      for (const domain of ['localhost', '127.0.0.1', 'not a domain']) {
        const res = await check(domain);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('invalid_domain');
      }
    });
  });

  describe('proxy records', () => {
    const base = () => `/api/organizations/${t.organizationId}/proxy_records`;

    it('creates, lists, gets and deletes records; members read only; other organizations see 404', async () => {
      const created = await http(t.url, 'POST', base(), { key: t.key, body: { domain: 'E.Bücher.de' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ domain: 'e.xn--bcher-kva.de', status: 'waiting' });
      expect(created.body.target_cname).toMatch(/^[0-9a-f]{16}\.proxy\.hub\.example\.test$/);
      expect((await http(t.url, 'POST', base(), { key: t.key, body: { domain: 'e.bücher.de' } })).status).toBe(409);
      expect((await http(t.url, 'POST', base(), { key: t.key, body: { domain: 'localhost' } })).status).toBe(400);

      const member = await addUser(t, 'member');
      expect((await http(t.url, 'POST', base(), { key: member.key, body: { domain: 'x.acme.com' } })).status).toBe(403);
      const list = await http(t.url, 'GET', base(), { key: member.key });
      expect(list.body.results.map((r: { id: string }) => r.id)).toContain(created.body.id);
      expect((await http(t.url, 'GET', `${base()}/${created.body.id}`, { key: member.key })).body).toEqual(created.body);

      const other = await addOrganization(t, 'Proxy other');
      const foreign = await http(t.url, 'GET', `/api/organizations/${other.organizationId}/proxy_records/${created.body.id}`, { key: t.key });
      expect(foreign.status).toBe(404);

      expect((await http(t.url, 'DELETE', `${base()}/${created.body.id}`, { key: t.key })).status).toBe(204);
      expect((await http(t.url, 'GET', `${base()}/${created.body.id}`, { key: t.key })).status).toBe(404);
    });
  });

  describe('apply-url', () => {
    const verifyUrl = (url: string) => {
      const query = new URL(url).search.slice(1);
      const sigAt = query.indexOf('&sig=');
      const signed = query.slice(0, sigAt);
      const [, sig, key] = /^&sig=([^&]+)&key=([^&]+)$/.exec(query.slice(sigAt)) ?? [];
      expect(key).toBe('_dcpubkeyv1');
      expect(verify('sha256', Buffer.from(signed), publicKey, Buffer.from(decodeURIComponent(sig), 'base64'))).toBe(true);
      return new URL(url).searchParams;
    };

    it('signs the proxy template for a subdomain, with redirect_uri, verifiable with the public key', async () => {
      const record = (await http(t.url, 'POST', `/api/organizations/${t.organizationId}/proxy_records`, { key: t.key, body: { domain: 'ph.acme.com' } })).body;
      const res = await applyUrl({ context: 'proxy', proxy_record_id: record.id, redirect_uri: 'http://hub.example.test/project/1/settings?done=1' });
      expect(res.status).toBe(200);
      expect(res.body.url.startsWith(`${SYNC_UX}/v2/domainTemplates/providers/${PROVIDER_ID}/services/reverse-proxy-us/apply?`)).toBe(true);
      const params = verifyUrl(res.body.url);
      expect(Object.fromEntries(params)).toEqual({
        domain: 'acme.com', host: 'ph', target: record.target_cname, redirect_uri: 'http://hub.example.test/project/1/settings?done=1',
        sig: expect.any(String), key: '_dcpubkeyv1',
      });
    });

    it('omits host at the apex', async () => {
      const record = (await http(t.url, 'POST', `/api/organizations/${t.organizationId}/proxy_records`, { key: t.key, body: { domain: 'acme.com' } })).body;
      const res = await applyUrl({ context: 'proxy', proxy_record_id: record.id });
      expect(verifyUrl(res.body.url).has('host')).toBe(false);
    });

    it('signs the email template with the integration tokens', async () => {
      const { integration } = await t.hub.app.get(IntegrationsService).upsert({
        organizationId: t.organizationId, projectId: t.projectId, provider: IntegrationProvider.Email, externalAccountId: 'mail.example.co.uk',
        displayName: 'mail.example.co.uk', createdBy: null,
        configuration: { domain: 'mail.example.co.uk', verify_token: 'vt123', dkim_tokens: ['d1', 'd2', 'd3'], region: 'eu-west-1' },
      });
      const res = await applyUrl({ context: 'email', integration_id: integration.id });
      expect(res.status).toBe(200);
      expect(res.body.url).toContain('/services/email-verification-us/apply?');
      expect(Object.fromEntries(verifyUrl(res.body.url))).toMatchObject({
        domain: 'example.co.uk', host: 'mail', verifyToken: 'vt123', dkim1: 'd1', dkim2: 'd2', dkim3: 'd3', mailFromSub: 'feedback', sesRegion: 'eu-west-1',
      });
    });

    it('uses a provider picked from the allow-list when DNS does not tell', async () => {
      const record = (await http(t.url, 'POST', `/api/organizations/${t.organizationId}/proxy_records`, { key: t.key, body: { domain: 'e.manual.com' } })).body;
      settingsFor.set('manual.com', 'ok');
      const res = await applyUrl({ context: 'proxy', proxy_record_id: record.id, provider_endpoint: endpoint });
      expect(res.status).toBe(200);
      expect(verifyUrl(res.body.url).get('domain')).toBe('manual.com');
    });

    it.each([
      [{ context: 'sms' }, "context must be 'email' or 'proxy'", 'context'],
      [{}, "context must be 'email' or 'proxy'", 'context'],
      [{ context: 'email' }, 'integration_id is required for email context', 'integration_id'],
      [{ context: 'proxy' }, 'proxy_record_id is required for proxy context', 'proxy_record_id'],
      [{ context: 'proxy', proxy_record_id: 'x', provider_endpoint: 'dns.evil.example' }, 'Unsupported provider endpoint', 'provider_endpoint'],
      [{ context: 'proxy', proxy_record_id: 'x', redirect_uri: 'https://evil.example/' }, 'redirect_uri must be under http://hub.example.test', 'redirect_uri'],
    ])('answers 400 for %j', async (body, detail, attr) => {
      const res = await applyUrl(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ type: 'validation_error', detail, attr });
    });

    it('requires an email integration, and records and integrations of the caller', async () => {
      const { integration } = await t.hub.app.get(IntegrationsService).upsert({
        organizationId: t.organizationId, projectId: t.projectId, provider: IntegrationProvider.Slack, externalAccountId: 'T1', displayName: 'slack', createdBy: null,
      });
      const notEmail = await applyUrl({ context: 'email', integration_id: integration.id });
      expect(notEmail.status).toBe(400);
      expect(notEmail.body.detail).toBe('The integration must be of kind email');
      expect((await applyUrl({ context: 'email', integration_id: '123456' })).status).toBe(404);

      const other = await addOrganization(t, 'Apply other');
      const foreign = await http(t.url, 'POST', `/api/organizations/${other.organizationId}/proxy_records`, { key: t.key, body: { domain: 'z.acme.com' } });
      const res = await applyUrl({ context: 'proxy', proxy_record_id: foreign.body.id });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('proxy_record_not_found');
    });

    it('is for project admins', async () => {
      const member = await addUser(t, 'member');
      expect((await applyUrl({ context: 'proxy' }, member.key)).status).toBe(403);
    });
  });

  describe('template support and public key', () => {
    it('asks the provider whether it hosts the template: yes, no', async () => {
      const path = (context: string) => `/api/projects/${t.projectId}/integrations/domain-connect/template?domain=acme.com&context=${context}`;
      expect((await http(t.url, 'GET', path('proxy'), { key: t.key })).body).toEqual({
        supported: true, provider_name: 'Loopback DNS', service_id: 'reverse-proxy-us', template_supported: 'yes',
      });
      expect((await http(t.url, 'GET', path('email'), { key: t.key })).body.template_supported).toBe('no');
      expect((await http(t.url, 'GET', path('sms'), { key: t.key })).status).toBe(400);
    });

    it('publishes the public key as TXT records without a key', async () => {
      const res = await http(t.url, 'GET', '/api/domain-connect/public-key-records');
      expect(res.status).toBe(200);
      expect(res.body.host).toBe(`_dcpubkeyv1.${PROVIDER_ID}`);
      const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
      expect(res.body.records.map((r: string) => r.replace(/^p=\d+,a=RS256,d=/, '')).join('')).toBe(spki);
      expect(res.body.records.every((r: string) => r.length <= 'p=10,a=RS256,d='.length + 200)).toBe(true);
    });
  });
});

describe('Domain Connect without a signing key, with the outbound guard on', () => {
  it('refuses a DNS endpoint at a private address and explains that signing is unavailable', async () => {
    const ca = makeTestCa();
    const dns = await startFakeDns();
    const provider = await startFakeHttps(ca, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ urlSyncUX: SYNC_UX })));
    const endpoint = `127.0.0.1:${provider.port}/dc`;
    dns.txt.set('_domainconnect.private.com', endpoint);
    const t = await startTestHub({
      env: {
        OUTBOUND_ALLOW_PRIVATE: 'false',
        DNS_SERVERS: `127.0.0.1:${dns.port}`,
        OUTBOUND_EXTRA_CA_CERTS: `@${ca.caFile}`,
        DOMAIN_CONNECT_PROVIDERS: JSON.stringify([{ endpoint, name: 'Loopback DNS' }]),
        DOMAIN_CONNECT_PROVIDER_ID: PROVIDER_ID,
      },
    });
    try {
      const res = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/domain-connect/check?domain=private.com`, { key: t.key });
      expect(res.body).toEqual({ supported: false, provider_name: null, available_providers: [{ endpoint, name: 'Loopback DNS' }] });
      expect(provider.hits).toEqual([]);

      const apply = await http(t.url, 'POST', `/api/projects/${t.projectId}/integrations/domain-connect/apply-url`, { key: t.key, body: { context: 'proxy', proxy_record_id: 'x' } });
      expect(apply.status).toBe(400);
      expect(apply.body.detail).toBe('Automatic DNS configuration is temporarily unavailable for this provider. Please configure your DNS records manually.');
      expect((await http(t.url, 'GET', '/api/domain-connect/public-key-records')).status).toBe(404);
    } finally {
      await t.close();
      await provider.close();
      await dns.close();
      ca.close();
    }
  });
});
