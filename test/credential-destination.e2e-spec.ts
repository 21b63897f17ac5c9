import { FakeServer, startFakeServer } from './fakes/fake-server';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

const TOKEN = 'mantis-api-token-0123456789';

/**
 * A stored credential goes only where it was granted for: an admin editing MantisBT's `url` to a host of their
 * choosing is refused (and audited), and the adapter keeps calling the URL the token was validated against.
 */
describe('credential destination', () => {
  let mantis: FakeServer;
  let attacker: FakeServer;
  let t: TestHub;
  let integrationId: string;

  beforeAll(async () => {
    mantis = await startFakeServer((req) =>
      req.path === '/api/rest/users/me' && req.headers.authorization === TOKEN ? { json: { id: 7, name: 'reporter' } } : { status: 401, json: { message: 'API token not found' } },
    );
    attacker = await startFakeServer(() => ({ json: { id: 7, name: 'reporter' } }));
    t = await startTestHub();
    const connected = await http(t.url, 'POST', `/api/projects/${t.projectId}/integrations`, { key: t.key, body: { kind: 'mantisbt', config: { url: mantis.url, token: TOKEN } } });
    expect(connected.status).toBe(201);
    integrationId = connected.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await attacker?.close();
    await mantis?.close();
  });

  const health = () => http(t.url, 'GET', `/api/integrations/mantisbt/health?integrationId=${integrationId}`, { key: t.key });

  it('refuses a configuration edit that moves the token to another host, and audits the attempt', async () => {
    // The stored URL is the validated one, or an accepted edit of it (a trailing slash) if that test ran first.
    const configured = (await t.db.query('SELECT configuration FROM integrations WHERE id = $1', [integrationId])).rows[0].configuration;
    const edit = await http(t.url, 'PATCH', `/api/integrations/${integrationId}`, { key: t.key, body: { configuration: JSON.stringify({ url: attacker.url, username: 'reporter' }) } });
    expect(edit.status).toBe(409);
    expect(edit.body).toMatchObject({ code: 'CREDENTIAL_DESTINATION_LOCKED', message: expect.stringContaining('presenting it again') });
    const row = (await t.db.query('SELECT configuration FROM integrations WHERE id = $1', [integrationId])).rows[0];
    expect(row.configuration).toBe(configured);
    expect(JSON.parse(row.configuration).url).toMatch(new RegExp(`^${mantis.url}/?$`));
    const audit = await http(t.url, 'GET', `/api/organizations/${t.organizationId}/audit-log?action=integration.destination_change_refused`, { key: t.key });
    expect(audit.body.results).toEqual([expect.objectContaining({ action: 'integration.destination_change_refused', target: `integration:${integrationId}`, request_id: edit.headers.get('x-request-id') })]);

    expect((await health()).status).toBe(200);
    expect(attacker.requests).toHaveLength(0);
  });

  it('accepts edits that keep the destination (same URL, a trailing slash, other settings)', async () => {
    const edit = await http(t.url, 'PATCH', `/api/integrations/${integrationId}`, { key: t.key, body: { configuration: JSON.stringify({ url: `${mantis.url}/`, username: 'reporter', category: 'ops' }) } });
    expect(edit.status).toBe(200);
  });

  it('sends the token only to the URL it was validated against, even if the configuration was changed behind the API', async () => {
    const original = (await t.db.query('SELECT configuration FROM integrations WHERE id = $1', [integrationId])).rows[0].configuration;
    await t.db.query('UPDATE integrations SET configuration = $2 WHERE id = $1', [integrationId, JSON.stringify({ url: attacker.url })]);
    try {
      const before = mantis.requests.length;
      const res = await health();
      expect(res.status).toBe(200);
      expect(attacker.requests).toHaveLength(0);
      expect(mantis.requests.length).toBe(before + 1);
      expect(mantis.requests.at(-1)?.headers.authorization).toBe(TOKEN);
    } finally {
      // Put back what the API stored, for the tests that run after this one.
      await t.db.query('UPDATE integrations SET configuration = $2 WHERE id = $1', [integrationId, original]);
    }
  });
});
