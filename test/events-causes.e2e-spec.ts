import { SUBSCRIBABLE_EVENT_TYPES } from '../src/events/events.enums';
import { FakeGithub } from './fakes/github/fake-github.server';
import type { FakeInstallation } from './fakes/github/fake-github.model';
import { startSlackFake } from './fakes/slack-fake';
import { startMantisFake } from './fakes/token-providers-fake';
import { CONNECTIONS, createConnection } from './support/app-connections';
import { connectInstallation, waitFor } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, addUser } from './support/identity';
import { ReceivedEvent, receivedEvent, startWebhookReceiver, subscribe, WebhookReceiver } from './support/webhook-receiver';

/** Each subscribable event type and the change below that causes it. */
const CAUSES: Record<string, string> = {
  'integration.connected': 'connecting MantisBT, Slack (OAuth) or a GitHub installation',
  'integration.updated': 'PATCH /api/integrations/:id',
  'integration.disconnected': 'POST /api/integrations/mantisbt/disconnect',
  'integration.health_changed': 'a refused OAuth refresh; a suspended installation',
  'integration.refresh_failed': 'a refused OAuth refresh',
  'github.installation.suspended': 'installation.suspend webhook',
  'github.installation.unsuspended': 'installation.unsuspend webhook',
  'github.installation.repositories_changed': 'installation_repositories webhook',
  'github.installation.deleted': 'installation.deleted webhook',
  'app_connection.created': 'POST /api/v1/app-connections/github',
  'app_connection.updated': 'PATCH /api/v1/app-connections/github/:id',
  'app_connection.deleted': 'DELETE /api/v1/app-connections/github/:id',
  'scan.completed': 'an org scan that completes',
  'scan.failed': 'an org scan whose installation GitHub no longer knows',
  'access_request.created': 'a member asks for an integration',
  'access_request.resolved': 'an admin dismisses the request',
};

/** Every event type, produced by the change that really causes it, received and verified on loopback. */
describe('events out: every event type from its real cause', () => {
  let t: TestHub;
  let receiver: WebhookReceiver;
  let fake: FakeGithub;
  let slack: Awaited<ReturnType<typeof startSlackFake>>;
  let mantis: Awaited<ReturnType<typeof startMantisFake>>;
  let secret: string;
  let installation: FakeInstallation;
  /** Waits for the event; its body must carry no credential the hub holds. */
  const event = async (type: string, match: (e: ReceivedEvent) => boolean = () => true) => {
    expect(CAUSES).toHaveProperty([type]);
    const e = await receivedEvent(receiver, '/all', secret, (x) => x.type === type && x.organization_id === t.organizationId && match(x), 20_000);
    const body = JSON.stringify(e);
    for (const credential of [mantis.token, ...slack.authority.accessTokens, 'slack-secret', fake.env.GITHUB_WEBHOOK_SECRET]) expect(body).not.toContain(credential);
    expect(body).not.toMatch(/sealed|"v1\./);
    return e;
  };

  it('names a real cause for every event type a subscription can list', () => {
    expect(Object.keys(CAUSES).sort()).toEqual([...SUBSCRIBABLE_EVENT_TYPES].sort());
  });

  beforeAll(async () => {
    [receiver, slack, mantis] = await Promise.all([startWebhookReceiver(), startSlackFake(), startMantisFake()]);
    fake = await new FakeGithub({ repos: 3, installations: 2 }).start();
    installation = fake.installation;
    t = await startTestHub({
      env: { ...fake.env, ...slack.env, MANTISBT_URL: mantis.url, GITHUB_REQUEST_RETRIES: '0', SCAN_MAX_REQUESTS_PER_SECOND: '50', WEBHOOK_RETRY_BASE_MS: '50' },
    });
    ({ secret } = await subscribe(t, receiver.url('/all'), SUBSCRIBABLE_EVENT_TYPES));
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
    await Promise.all([receiver?.close(), slack?.close(), mantis?.close()]);
  });

  // The owner may hold several organizations by now (other tests create them): name the one meant.
  const inOrg = () => ({ 'x-organization-id': t.organizationId });

  it('integration.connected, updated and disconnected from the workspace and vRaptor faces', async () => {
    const connected = await http(t.url, 'POST', '/api/integrations/mantisbt/connect', { key: t.key, headers: inOrg(), body: { token: mantis.token } });
    expect(connected.status).toBe(200);
    const id = connected.body.integration.id as string;
    const c = await event('integration.connected', (e) => e.data.integration.id === id);
    expect(c.data).toEqual({ integration: { id, provider: 'mantisbt', project_id: null, display_name: expect.stringContaining('hubbot'), status: 'connected', enabled: true, errors: null } });

    expect((await http(t.url, 'PATCH', `/api/integrations/${id}`, { key: t.key, headers: inOrg(), body: { enabled: false } })).status).toBe(200);
    const u = await event('integration.updated', (e) => e.data.integration.id === id);
    expect(u.data.integration.enabled).toBe(false);

    expect((await http(t.url, 'POST', '/api/integrations/mantisbt/disconnect', { key: t.key, headers: inOrg(), body: { integrationId: id } })).status).toBeLessThan(300);
    const d = await event('integration.disconnected', (e) => e.data.integration.id === id);
    expect(d.data.integration.status).toBe('disconnected');
  });

  it('integration.health_changed and integration.refresh_failed when the provider refuses an OAuth refresh', async () => {
    slack.authority.lifetimeSeconds = 1;
    const start = await http(t.url, 'GET', `/api/projects/${t.projectId}/integrations/authorize?kind=slack&next=/done`, { key: t.key });
    const consent = await fetch(start.headers.get('location') as string, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location') as string);
    expect((await http(t.url, 'GET', `${back.pathname}${back.search}`)).status).toBe(302);
    const c = await event('integration.connected', (e) => e.data.integration.provider === 'slack');
    const id = c.data.integration.id as string;
    slack.authority.refuseRefresh = true;
    // Half of the one-second lifetime passes; the next call refreshes first, and the provider refuses.
    await waitFor(async () => (await http(t.url, 'GET', `/api/integrations/slack/health?integrationId=${id}`, { key: t.key, headers: inOrg() })).body.healthy === false);
    const r = await event('integration.refresh_failed', (e) => e.data.integration.id === id);
    expect(r.data.integration).toMatchObject({ status: 'error', errors: expect.stringContaining('Please reconnect') });
    const h = await event('integration.health_changed', (e) => e.data.integration.id === id);
    expect(h.data).toMatchObject({ previous_status: 'connected', integration: { status: 'error' } });
  });

  it('github.installation.* from signed GitHub webhooks', async () => {
    await connectInstallation(t, installation.id, installation.account.login, t.organizationId, t.projectId);
    await event('integration.connected', (e) => e.data.integration.provider === 'github');
    const hookUrl = `${t.url}/api/webhooks/github`;
    const payload = (action: string) => ({ action, installation: { id: installation.id, account: { login: installation.account.login } }, sender: { id: 1, login: 'octocat' } });
    const installationPayload = { id: String(installation.id), account: { login: installation.account.login, type: expect.any(String) }, repository_selection: expect.any(String) };

    expect((await fake.sendWebhook(hookUrl, 'installation', payload('suspend'))).status).toBe(202);
    expect((await event('github.installation.suspended')).data).toEqual({ installation: installationPayload });
    await event('integration.health_changed', (e) => e.data.integration.provider === 'github' && e.data.integration.status === 'disconnected');
    expect((await fake.sendWebhook(hookUrl, 'installation', payload('unsuspend'))).status).toBe(202);
    await event('github.installation.unsuspended');

    fake.model.addRepos(installation.account, 1);
    expect((await fake.sendWebhook(hookUrl, 'installation_repositories', { ...payload('added'), repositories_added: [] })).status).toBe(202);
    const changed = await event('github.installation.repositories_changed');
    expect(changed.data.repository_count).toBeGreaterThan(0);

    expect((await fake.sendWebhook(hookUrl, 'installation', payload('deleted'))).status).toBe(202);
    await event('github.installation.deleted');
  });

  it('app_connection.created, updated and deleted', async () => {
    const [, second] = [...fake.model.installations.values()];
    const { res } = await createConnection(t, fake, second.id, { name: 'ci-events' });
    expect(res.status).toBe(200);
    const id = res.body.appConnection.id as string;
    const created = await event('app_connection.created', (e) => e.data.app_connection.id === id);
    expect(created.data).toEqual({ app_connection: { id, name: 'ci-events', app: 'github', method: 'github-app', project_id: null } });
    const headers = { 'x-organization-id': t.organizationId };
    expect((await http(t.url, 'PATCH', `${CONNECTIONS}/${id}`, { key: t.key, headers, body: { description: 'renamed' } })).status).toBe(200);
    await event('app_connection.updated', (e) => e.data.app_connection.id === id);
    expect((await http(t.url, 'DELETE', `${CONNECTIONS}/${id}`, { key: t.key, headers })).status).toBe(200);
    await event('app_connection.deleted', (e) => e.data.app_connection.id === id);
  });

  it('scan.completed with finding and drift counts, and scan.failed', async () => {
    const [, second] = [...fake.model.installations.values()];
    await connectInstallation(t, second.id, second.account.login, t.organizationId, null);
    const headers = { 'x-organization-id': t.organizationId };
    const scan = async () => (await http(t.url, 'POST', '/api/integrations/github/scan-org', { key: t.key, headers })).body.scanId as string;
    const firstId = await scan();
    const first = await event('scan.completed', (e) => e.data.scan.id === firstId);
    expect(first.data.scan).toMatchObject({ status: 'completed', repos_scanned: first.data.scan.repos_total, drift: { compared_to_scan_id: null } });
    expect(first.data.scan.finding_count).toBeGreaterThan(0);
    const repo = [...fake.model.repos.values()].find((r) => r.owner.login === second.account.login);
    fake.updateRepo(`${second.account.login}/${repo?.name}`, { defaultBranchProtection: { requiredReviews: 1, requireStatusChecks: ['ci'] } });
    expect((await http(t.url, 'POST', '/api/integrations/github/scan-cache/invalidate', { key: t.key, headers })).status).toBeLessThan(300);
    const secondId = await scan();
    const next = await event('scan.completed', (e) => e.data.scan.id === secondId);
    const drift = (await http(t.url, 'GET', '/api/integrations/github/scan-drift', { key: t.key, headers })).body;
    expect(next.data.scan.drift).toEqual({ compared_to_scan_id: firstId, added: drift.added, removed: drift.removed, changed: drift.changed });
    expect(drift.changed).toBeGreaterThanOrEqual(1);

    // Another organization whose installation GitHub no longer knows: every attempt fails, the last one fails the scan.
    const other = await addOrganization(t, 'Scan failures');
    const gone = fake.model.addInstallation(fake.model.addAccount('vanishing-org'), []);
    await connectInstallation(t, gone.id, 'vanishing-org', other.organizationId, null);
    const otherSub = await subscribe(t, receiver.url('/other'), ['scan.failed'], other.organizationId);
    fake.model.installations.delete(gone.id);
    const failedId = (await http(t.url, 'POST', '/api/integrations/github/scan-org', { key: t.key, headers: { 'x-organization-id': other.organizationId } })).body.scanId;
    expect(CAUSES).toHaveProperty(['scan.failed']);
    const failed = await receivedEvent(receiver, '/other', otherSub.secret, (e) => e.type === 'scan.failed' && e.data.scan.id === failedId, 30_000);
    expect(failed.data.scan).toMatchObject({ status: 'failed', error: expect.any(String) });
  });

  it('access_request.created and resolved', async () => {
    const member = await addUser(t, 'member');
    const asked = await http(t.url, 'POST', `/api/projects/${t.projectId}/integrations/request_access`, { key: member.key, body: { kind: 'jira', reason: 'Link issues please' } });
    expect(asked.status).toBe(200);
    const created = await event('access_request.created', (e) => e.data.access_request.requested_by.id === member.userId);
    expect(created.data.access_request).toMatchObject({ kind: 'jira', status: 'pending', project_id: t.projectId });
    expect(JSON.stringify(created.data)).not.toContain('Link issues please');
    const id = created.data.access_request.id as string;
    const resolved = await http(t.url, 'POST', `/api/projects/${t.projectId}/integrations/access_requests/${id}/resolve`, { key: t.key, body: { status: 'dismissed' } });
    expect(resolved.status).toBe(200);
    const r = await event('access_request.resolved', (e) => e.data.access_request.id === id);
    expect(r.data.access_request).toMatchObject({ status: 'dismissed', resolved_by: t.userId });
  });

});
