import Fastify from 'fastify';
import { routeConfigOf, routeUrlOf } from './fastify-route';

describe('route of a request', () => {
  it("is what request.routeOptions says, for a matched route and for none", async () => {
    const app = Fastify();
    const seen: unknown[] = [];
    app.addHook('onResponse', (request, _reply, done) => {
      seen.push([routeUrlOf(request), request.routeOptions.url, (routeConfigOf(request) as unknown) === request.routeOptions.config]);
      done();
    });
    app.get('/api/things/:id', { config: { streamedBody: true } }, async () => ({ ok: true }));
    await app.inject({ method: 'GET', url: '/api/things/7' });
    await app.inject({ method: 'GET', url: '/nowhere' });
    expect(seen).toEqual([
      ['/api/things/:id', '/api/things/:id', true],
      [undefined, undefined, true],
    ]);
    await app.close();
  });
});
