import { Counter, Histogram, Registry } from 'prom-client';
import { CellCounter, CellHistogram } from './cell-histogram';

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

  it('counts as prom-client counts, leaving out combinations never incremented (Prometheus and OpenMetrics text)', async () => {
    for (const contentType of [Registry.PROMETHEUS_CONTENT_TYPE, Registry.OPENMETRICS_CONTENT_TYPE]) {
      const feed = (registry: Registry, inc: (cache: string, by?: number) => void) => {
        registry.setContentType(contentType as never);
        inc('hit');
        inc('hit', 2);
        inc('miss');
      };
      const ours = new Registry();
      const counter = new CellCounter('hub_installation_token_mints_total', 'Mints', ['cache'], ours);
      const cells = { hit: counter.cell('hit'), miss: counter.cell('miss'), error: counter.cell('error') };
      feed(ours, (cache, by) => cells[cache as 'hit' | 'miss'].inc(by));
      const theirs = new Registry();
      const reference = new Counter({ name: 'hub_installation_token_mints_total', help: 'Mints', labelNames: ['cache'], registers: [theirs] });
      feed(theirs, (cache, by) => reference.labels(cache).inc(by));
      const text = await ours.metrics();
      expect(text).toBe(await theirs.metrics());
      expect(text).toMatch(/hub_installation_token_mints_total\{cache="hit"\} 3/);
      expect(text).not.toContain('error');
    }
  });
});
