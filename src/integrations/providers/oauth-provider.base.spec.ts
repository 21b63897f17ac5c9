import { refreshDue } from './oauth-provider.base';
import { paginate } from './provider-http.service';

describe('refreshDue', () => {
  const obtained = 1_000_000;
  it('refreshes once half the lifetime has passed', () => {
    expect(refreshDue({ access_token: 'a', obtained_at: obtained, lifetime_s: 7200 }, obtained + 3599_000)).toBe(false);
    expect(refreshDue({ access_token: 'a', obtained_at: obtained, lifetime_s: 7200 }, obtained + 3600_000)).toBe(true);
  });
  it('never refreshes tokens without a lifetime', () => {
    expect(refreshDue({ access_token: 'a', obtained_at: obtained }, obtained + 10 ** 12)).toBe(false);
  });
});

describe('paginate', () => {
  const items = ['acme/api', 'acme/web', 'acme/api-docs'].map((name, i) => ({ id: String(i), name, private: false }));
  it('filters case-insensitively and pages', () => {
    expect(paginate(items, 1, 1, 'API')).toEqual({ repos: [items[0]], total: 2 });
    expect(paginate(items, 2, 1, 'api')).toEqual({ repos: [items[2]], total: 2 });
    expect(paginate(items, 1, 30)).toEqual({ repos: items, total: 3 });
  });
});
