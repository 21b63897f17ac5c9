import { http } from './support/http';
import { startTestHub, TestHub } from './support/hub-harness';

describe('docs: the front door of the API', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ redis: false });
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('redirects GET / to /docs, which serves Swagger UI', async () => {
    const root = await http(hub.url, 'GET', '/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/docs');
    const docs = await http(hub.url, 'GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger');
  });

  it('opens with an introduction: authentication, the dialects, errors, pagination, rate limits', async () => {
    const doc = await http(hub.url, 'GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    const intro: string = doc.body.info.description;
    for (const heading of ['## Authentication', '## Five dialects, one model', '## Errors', '## Pagination', '## Rate limits']) expect(intro).toContain(heading);
    expect(intro).toContain('ihk_');
    expect(doc.body.info.license.url).toBeUndefined();
    expect(doc.body.components.securitySchemes.api_key.bearerFormat).not.toBe('JWT');
  });
});
