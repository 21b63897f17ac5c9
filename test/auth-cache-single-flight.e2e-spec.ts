import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { hashApiKey } from '../src/auth/api-key.util';
import { ApiKeysService } from '../src/organizations/api-keys.service';
import { OrganizationEntity } from '../src/organizations/organization.entity';
import { PersonalApiKeyEntity } from '../src/organizations/personal-api-key.entity';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';
import { poll } from './support/poll';

/**
 * The key cache and the organization-name cache read the database once however many requests miss them at the
 * same moment (ApiKeysService.verify, OrganizationsService.names), and a read that straddles a revoke or a rename
 * on this replica leaves nothing cached. The repositories are the hub's own, watched with jest spies.
 */
describe('auth caches under concurrent misses', () => {
  let t: TestHub;
  let keys: Repository<PersonalApiKeyEntity>;
  let organizations: Repository<OrganizationEntity>;
  let apiKeys: ApiKeysService;

  beforeAll(async () => {
    t = await startTestHub();
    keys = t.hub.app.get(getRepositoryToken(PersonalApiKeyEntity));
    organizations = t.hub.app.get(getRepositoryToken(OrganizationEntity));
    apiKeys = t.hub.app.get(ApiKeysService);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => t?.close());

  const me = (key: string) => http(t.url, 'GET', '/api/users/@me', { key });
  const newKey = async (label: string) => (await http(t.url, 'POST', '/api/personal_api_keys', { key: t.key, body: { label, scopes: ['organization:read'] } })).body as { id: string; value: string };
  /** Key lookups by hash (verify's query), not the other reads of the same repository. */
  const lookups = (spy: jest.SpyInstance) => spy.mock.calls.filter(([options]) => (options as { where?: { secureValue?: unknown } }).where?.secureValue !== undefined).length;

  it('looks a key up once for 30 concurrent requests that miss the cache', async () => {
    const key = await newKey('single flight');
    apiKeys.invalidateAll();
    const findOne = jest.spyOn(keys, 'findOne');
    const answers = await Promise.all(Array.from({ length: 30 }, () => me(key.value)));
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(200));
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    expect(lookups(findOne)).toBe(1);
  });

  it('caches nothing from a lookup that read the key before it was revoked', async () => {
    const key = await newKey('revoked mid-lookup');
    apiKeys.invalidateAll();
    // The owner's key (which revokes below) is cached again; only the new key's lookup is held.
    expect((await me(t.key)).status).toBe(200);
    const held = hashApiKey(key.value);
    const original = keys.findOne.bind(keys);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const findOne = jest.spyOn(keys, 'findOne').mockImplementation(async (options) => {
      const row = await original(options);
      // Hold verify's lookup after it read the (still valid) row; the revoke's own reads pass.
      if ((options as { where?: { secureValue?: unknown } }).where?.secureValue === held) await gate;
      return row;
    });
    const during = Promise.all(Array.from({ length: 5 }, () => me(key.value)));
    await poll(async () => lookups(findOne) === 1, { what: 'the lookup to start', intervalMs: 10 });
    expect((await http(t.url, 'DELETE', `/api/personal_api_keys/${key.id}`, { key: t.key })).status).toBe(204);
    release();
    // The requests that arrived before the revoke may pass; the answer they got must not outlive it.
    expect((await during).every((r) => r.status === 200)).toBe(true);
    expect((await me(key.value)).status).toBe(401);
  });

  it('reads organization names once for concurrent @me calls, and a rename during the read wins', async () => {
    await me(t.key);
    // A rename drops the cached name: the next @me calls all need it at once.
    const rename = (name: string) => http(t.url, 'PATCH', `/api/organizations/${t.organizationId}`, { key: t.key, body: { name } });
    expect((await rename('Single flight org')).status).toBe(200);
    const original = organizations.find.bind(organizations);
    const find = jest.spyOn(organizations, 'find');
    const answers = await Promise.all(Array.from({ length: 20 }, () => me(t.key)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(answers.every((r) => r.body.organizations.some((o: { name: string }) => o.name === 'Single flight org'))).toBe(true);
    expect(find).toHaveBeenCalledTimes(1);

    // A read held until after a rename: its (old) name serves the requests waiting on it, and is not cached.
    expect((await rename('Before the rename')).status).toBe(200);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    find.mockImplementation(async (options) => {
      const rows = await original(options);
      await gate;
      return rows;
    });
    const held = me(t.key);
    await poll(async () => find.mock.calls.length === 2, { what: 'the name read to start', intervalMs: 10 });
    find.mockImplementation(original);
    expect((await rename('After the rename')).status).toBe(200);
    release();
    await held;
    const after = await me(t.key);
    expect(after.body.organizations).toContainEqual({ id: t.organizationId, name: 'After the rename', role: 'owner' });
    expect((await rename('Default organization')).status).toBe(200);
  });
});
