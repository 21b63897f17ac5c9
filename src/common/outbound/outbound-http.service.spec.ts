import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { HubConfig } from '../../config/hub-config';
import { OutboundHttpService } from './outbound-http.service';

function service(allowPrivate: boolean): OutboundHttpService {
  return new OutboundHttpService({ outboundAllowPrivate: allowPrivate } as HubConfig);
}

describe('OutboundHttpService', () => {
  let server: Server;
  let base: string;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/redirect-to-metadata') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      } else if (req.url === '/flaky' && hits % 2 === 1) {
        res.writeHead(503, { 'retry-after': '0' }).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('refuses loopback and private hosts by default, before sending anything', async () => {
    const before = hits;
    await expect(service(false).request(`${base}/`)).rejects.toThrow(/refused: private, loopback/);
    await expect(service(false).request('http://localhost:8081/')).rejects.toThrow(/refused/);
    await expect(service(false).fetch(`${base}/`)).rejects.toThrow();
    expect(hits).toBe(before);
  });

  it('refuses the cloud metadata address at connect time (the same connector serves every redirect hop)', async () => {
    await expect(service(false).request('http://169.254.169.254/latest/meta-data/', { attempts: 1 })).rejects.toThrow(/169\.254\.169\.254/);
    await expect(service(false).request('http://[::ffff:169.254.169.254]/', { attempts: 1 })).rejects.toThrow(/refused/);
  });

  it('does not follow redirects when asked not to', async () => {
    const res = await service(true).request(`${base}/redirect-to-metadata`, { redirect: 'manual' });
    expect(res.status).toBe(302);
  });

  it('checks hostnames after resolution', async () => {
    await expect(service(false).assertPublicHost('localhost')).rejects.toThrow(/127\.0\.0\.1|::1/);
    await expect(service(false).assertPublicHost('[::1]')).rejects.toThrow(/refused/);
    await expect(service(true).assertPublicHost('localhost')).resolves.toBeUndefined();
  });

  it('retries 5xx with Retry-After when allowed to reach the host', async () => {
    hits = 0;
    const res = await service(true).request(`${base}/flaky`);
    expect(res.status).toBe(200);
    expect(hits).toBe(2);
  });
});
