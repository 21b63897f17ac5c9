import { request as httpRequest } from 'node:http';
import type { FakeGithub } from '../fakes/github/fake-github.server';
import { FakeHttps, makeTestCa, startFakeHttps, TestCa } from './domain-connect-fakes';
import { http } from './http';
import type { TestHub } from './hub-harness';

export const CONNECTIONS = '/api/v1/app-connections/github';

/**
 * A GitHub Enterprise Server on loopback: HTTPS (test CA) in front of the fake GitHub, with the API under
 * `/api/v3` and the web (OAuth) routes at the root, as GHES serves them.
 */
export async function startFakeGhes(fake: FakeGithub): Promise<{ ca: TestCa; server: FakeHttps; host: string; close(): Promise<void> }> {
  const ca = makeTestCa();
  const server = await startFakeHttps(ca, (req, res) => {
    const path = (req.url ?? '/').replace(/^\/api\/v3(?=\/)/, '');
    const upstream = httpRequest(`${fake.url}${path}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return {
    ca,
    server,
    host: `127.0.0.1:${server.port}`,
    async close() {
      await server.close();
      ca.close();
    },
  };
}

/** Creates a GitHub connection for a fresh fake user who can see `installationId`. */
export async function createConnection(t: TestHub, fake: FakeGithub, installationId: number, body: Record<string, unknown> = {}, key = t.key) {
  const user = fake.model.addUser(`dev-${Math.random().toString(36).slice(2, 8)}`, [installationId]);
  const code = fake.issueCode(user.id);
  const { credentials, ...rest } = body as { credentials?: Record<string, unknown> };
  const res = await http(t.url, 'POST', CONNECTIONS, {
    key,
    headers: { 'x-organization-id': t.organizationId },
    body: { method: 'github-app', name: `conn-${Math.random().toString(36).slice(2, 8)}`, ...rest, credentials: { code, installationId: String(installationId), instanceType: 'cloud', ...credentials } },
  });
  return { res, code };
}
