import { KeyRing } from '../src/common/sealed-secrets';
import { runCli } from '../src/cli';
import { FakeGithub } from './fakes/github/fake-github.server';
import { CONNECTIONS, createConnection } from './support/app-connections';
import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

describe('app connections: host guard and key rotation', () => {
  let fake: FakeGithub;
  let t: TestHub;
  /** Hubs started by the tests; closed together at the end (closing one hub mid-file disconnects the others). */
  const extraHubs: TestHub[] = [];

  beforeAll(async () => {
    fake = await new FakeGithub({ repos: 2 }).start();
    t = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0' } });
  });
  afterAll(async () => {
    for (const hub of extraHubs) await hub.close();
    await t?.close();
    await fake?.stop();
  });

  it('keeps credentialsHash across key rotation: re-sealing changes the blobs, not the hash', async () => {
    const { res } = await createConnection(t, fake, fake.installation.id, { name: 'rotating' });
    expect(res.status).toBe(200);
    const created = res.body.appConnection;
    const blobs = async () => (await t.db.query(`SELECT (SELECT sealed_credentials FROM app_connections WHERE id = $1) AS conn, (SELECT string_agg(sealed_value, ',') FROM server_secrets) AS secret`, [created.id])).rows[0];
    const before = await blobs();

    const rotated = await startTestHub({ databaseName: t.databaseName, env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', ENCRYPTION_KEYS: `${KeyRing.generateSpec('test2')},${t.env.ENCRYPTION_KEYS}` } });
    extraHubs.push(rotated);
    {
      const rotate = async () => {
        const lines: string[] = [];
        expect(await runCli(['rotate-keys'], rotated.env, (l) => lines.push(l))).toBe(0);
        return lines.filter((l) => /^(app_connections|server_secrets)\./.test(l));
      };
      expect(await rotate()).toEqual([
        "app_connections.sealed_credentials: 1 re-sealed with key 'test2', 0 already current",
        "server_secrets.sealed_value: 1 re-sealed with key 'test2', 0 already current",
      ]);
      const after = await blobs();
      expect(after.conn).toMatch(/^v1\.test2\./);
      expect(after.secret).toMatch(/^v1\.test2\./);
      expect(after.conn).not.toBe(before.conn);
      expect(after.secret).not.toBe(before.secret);
      expect(await rotate()).toEqual([
        "app_connections.sealed_credentials: 0 re-sealed with key 'test2', 1 already current",
        "server_secrets.sealed_value: 0 re-sealed with key 'test2', 1 already current",
      ]);

      const read = await http(rotated.url, 'GET', `${CONNECTIONS}/${created.id}`, { key: t.key });
      expect(read.body.appConnection).toEqual(created);
      const { res: twin } = await createConnection(rotated, fake, fake.installation.id, { name: 'rotating-twin' }, t.key);
      expect(twin.body.appConnection.credentialsHash).toBe(created.credentialsHash);
    }
  });

  it('refuses private, loopback and metadata hosts when OUTBOUND_ALLOW_PRIVATE=false, before any call to GitHub', async () => {
    const guarded = await startTestHub({ env: { ...fake.env, GITHUB_REQUEST_RETRIES: '0', OUTBOUND_ALLOW_PRIVATE: 'false' } });
    extraHubs.push(guarded);
    {
      const before = fake.stats.requests;
      for (const host of ['127.0.0.1', '169.254.169.254', '10.1.2.3:8443', 'localhost']) {
        const { res } = await createConnection(guarded, fake, fake.installation.id, { credentials: { instanceType: 'server', host } });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          reqId: res.headers.get('x-request-id'),
          statusCode: 400,
          message: `Host ${host} is not allowed: private, loopback, link-local and metadata addresses are refused`,
          error: 'BadRequest',
        });
      }
      expect(fake.stats.requests).toBe(before);
    }
  });
});
