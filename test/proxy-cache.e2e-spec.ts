import { IntegrationProvider } from '../src/integrations/integration.enums';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { addOrganization, keyWithScopes } from './support/identity';
import { startStreamingUpstream, StreamingUpstream } from './support/proxy-upstream';
import { startOwnRedis } from './support/redis-server';

const TOKEN_A = 'mantis-cache-token-a';
const TOKEN_B = 'mantis-cache-token-b';

/**
 * The proxy keeps integration rows (and their opened credentials) in process: what changes them must be seen by
 * the very next call, on the replica that made the change and on the others, with no waiting.
 */
describe('provider proxy: cached integrations follow every change at once', () => {
  let upstreamA: StreamingUpstream;
  let upstreamB: StreamingUpstream;

  beforeAll(async () => {
    [upstreamA, upstreamB] = await Promise.all([startStreamingUpstream(TOKEN_A), startStreamingUpstream(TOKEN_B)]);
  });
  afterAll(async () => {
    await Promise.all([upstreamA?.close(), upstreamB?.close()]);
  });

  const get = (hub: TestHub, key: string, id: string) => http(hub.url, 'GET', `/api/proxy/${id}/api/rest/users/me`, { key });

  describe('two replicas (shared PostgreSQL and Redis)', () => {
    let first: TestHub;
    let second: TestHub;

    beforeAll(async () => {
      first = await startTestHub();
      second = await startTestHub({ databaseName: first.databaseName, queuePrefix: first.env.QUEUE_PREFIX, env: { ENCRYPTION_KEYS: first.env.ENCRYPTION_KEYS } });
    });
    afterAll(async () => {
      await second?.close();
      await first?.close();
    });

    async function connectWarm(): Promise<string> {
      const connected = await http(first.url, 'POST', '/api/integrations/mantisbt/connect', { key: first.key, body: { token: TOKEN_A, url: upstreamA.url } });
      expect(connected.status).toBeLessThan(300);
      const id = connected.body.integration.id as string;
      // Both replicas now hold the row: repeated calls are served from their caches.
      for (const hub of [first, second, first, second]) expect((await get(hub, first.key, id)).status).toBe(200);
      return id;
    }

    it('a disconnect on one replica is refused by the next call on both, at once', async () => {
      const id = await connectWarm();
      const disconnected = await http(first.url, 'POST', '/api/integrations/mantisbt/disconnect', { key: first.key, body: { integrationId: id } });
      expect(disconnected.status).toBe(200);
      const seen = upstreamA.requests.length;
      for (const hub of [second, first]) {
        const res = await get(hub, first.key, id);
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('INTEGRATION_NOT_CONNECTED');
      }
      expect(upstreamA.requests.length).toBe(seen);
    });

    it('a disconnect made on the other replica is refused at once too', async () => {
      const id = await connectWarm();
      expect((await http(second.url, 'POST', '/api/integrations/mantisbt/disconnect', { key: first.key, body: { integrationId: id } })).status).toBe(200);
      expect((await get(first, first.key, id)).status).toBe(409);
      expect((await get(second, first.key, id)).status).toBe(409);
    });

    it('new credentials and a new destination are used by the next call on both replicas', async () => {
      const id = await connectWarm();
      const row = await first.hub.app.get(IntegrationsService).findById(id);
      // What a reconnect of the same account stores: another token, bound to another URL.
      await first.hub.app.get(IntegrationsService).upsert({
        organizationId: first.organizationId,
        projectId: null,
        provider: IntegrationProvider.Mantisbt,
        externalAccountId: row!.externalAccountId,
        displayName: row!.displayName,
        configuration: { url: upstreamB.url, username: 'hubbot' },
        credentials: { api_token: TOKEN_B, url: upstreamB.url },
        createdBy: first.userId,
      });
      const before = upstreamB.requests.length;
      for (const hub of [second, first]) {
        const res = await get(hub, first.key, id);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ name: 'hubbot' });
      }
      expect(upstreamB.requests.slice(before).map((r) => r.headers.authorization)).toEqual([TOKEN_B, TOKEN_B]);
    });

    it('a cached row is never served to another organization (404, as an unknown id)', async () => {
      const id = await connectWarm();
      const other = await addOrganization(first, 'Proxy cache other org');
      const otherKey = await keyWithScopes(first, ['*'], first.key, { scoped_organization_id: other.organizationId });
      for (const hub of [first, second]) {
        const res = await get(hub, otherKey, id);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('INTEGRATION_NOT_FOUND');
      }
    });
  });

  it('with Redis down, a replica does not trust its cached row: a disconnect made elsewhere is refused at once', async () => {
    const redis = await startOwnRedis();
    const first = await startTestHub({ env: { REDIS_URL: redis.url } });
    let second: TestHub | undefined;
    try {
      second = await startTestHub({ databaseName: first.databaseName, queuePrefix: first.env.QUEUE_PREFIX, env: { ENCRYPTION_KEYS: first.env.ENCRYPTION_KEYS, REDIS_URL: redis.url } });
      const connected = await http(first.url, 'POST', '/api/integrations/mantisbt/connect', { key: first.key, body: { token: TOKEN_A, url: upstreamA.url } });
      const id = connected.body.integration.id as string;
      for (let i = 0; i < 2; i++) expect((await get(second, first.key, id)).status).toBe(200);
      await redis.kill();
      // The change cannot be announced through Redis now; the second replica must not serve its copy anyway.
      await first.hub.app.get(IntegrationsService).markDisconnected([id]);
      const res = await get(second, first.key, id);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INTEGRATION_NOT_CONNECTED');
    } finally {
      await second?.close();
      await first.close();
      await redis.stop();
    }
  });

  it('without Redis (one process), a disconnect is refused by the next call', async () => {
    const local = await startTestHub({ redis: false });
    try {
      const connected = await http(local.url, 'POST', '/api/integrations/mantisbt/connect', { key: local.key, body: { token: TOKEN_A, url: upstreamA.url } });
      const id = connected.body.integration.id as string;
      expect((await get(local, local.key, id)).status).toBe(200);
      expect((await get(local, local.key, id)).status).toBe(200);
      expect((await http(local.url, 'POST', '/api/integrations/mantisbt/disconnect', { key: local.key, body: { integrationId: id } })).status).toBe(200);
      expect((await get(local, local.key, id)).status).toBe(409);
    } finally {
      await local.close();
    }
  });
});
