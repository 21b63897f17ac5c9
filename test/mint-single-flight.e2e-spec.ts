import { FakeGithub } from './fakes/github/fake-github.server';
import { connectInstallation } from './support/github';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

/** A cold mint is single-flight across replicas, not only within one process. */
describe('cold mint across replicas', () => {
  let fake: FakeGithub;
  let a: TestHub;
  let b: TestHub;

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 3, latencyMs: 100 }).start();
    a = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
    b = await startTestHub({ databaseName: a.databaseName, queuePrefix: a.env.QUEUE_PREFIX, env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', ENCRYPTION_KEYS: a.env.ENCRYPTION_KEYS, BOOTSTRAP_API_KEY: a.key } });
    await connectInstallation(a, fake.installation.id, fake.installation.account.login);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await fake?.stop();
  });

  it('mints once for 20 concurrent cold requests spread over two replicas, and every caller gets that token', async () => {
    const id = fake.installation.id;
    const before = fake.mintCount(id);
    const body = { permissions: { contents: 'read' }, repositories: ['repo-0002'] };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => http((i % 2 ? a : b).url, 'POST', `/api/installations/${id}/access_tokens`, { key: a.key, body })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.token)).size).toBe(1);
    expect(fake.mintCount(id)).toBe(before + 1);
  });
});
