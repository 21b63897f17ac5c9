import { Histogram, Registry } from 'prom-client';
import { CellHistogram } from './cell-histogram';

// The cell histogram must scrape to exactly what prom-client's own Histogram gives for the same observations.
describe('CellHistogram', () => {
  const bounds = [0.001, 0.01, 0.1, 1, 10];
  const observations: Array<[string, string, string, number]> = [
    ['GET', '/api/users/@me', '200', 0.0004],
    ['GET', '/api/users/@me', '200', 0.001],
    ['GET', '/api/users/@me', '200', 0.0101],
    ['POST', '/api/installations/:installation_id/access_tokens', '201', 0.25],
    ['GET', '/api/users/@me', '401', 12],
    ['GET', 'unmatched', '404', 0.1],
    ['GET', '/api/x "quoted" \\ path', '200', 3],
  ];

  function scrape(feed: (registry: Registry) => void): Promise<string> {
    const registry = new Registry();
    feed(registry);
    return registry.metrics();
  }

  it('scrapes to the same text as prom-client for the same observations', async () => {
    const ours = await scrape((registry) => {
      const h = new CellHistogram('hub_http_request_duration_seconds', 'HTTP request duration', ['method', 'route', 'status'], bounds, registry);
      for (const [method, route, status, value] of observations) h.cell(method, route, status).observe(value);
    });
    const theirs = await scrape((registry) => {
      const h = new Histogram({ name: 'hub_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route', 'status'], buckets: bounds, registers: [registry] });
      for (const [method, route, status, value] of observations) h.labels({ method, route, status }).observe(value);
    });
    expect(ours).toBe(theirs);
    expect(ours).toContain('hub_http_request_duration_seconds_count{method="GET",route="/api/users/@me",status="200"} 3');
  });

  it('keeps a cell valid across a reset, counting from zero', async () => {
    const registry = new Registry();
    const h = new CellHistogram('h', 'help', ['route'], bounds, registry);
    const cell = h.cell('/a');
    cell.observe(0.5);
    registry.resetMetrics();
    cell.observe(2);
    const text = await registry.metrics();
    expect(text).toContain('h_count{route="/a"} 1');
    expect(text).toContain('h_sum{route="/a"} 2');
    expect(text).toContain('h_bucket{le="1",route="/a"} 0');
  });
});
