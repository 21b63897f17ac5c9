import { narrowingKey, tokenStillMatches } from './installation-tokens.service';
import type { InstallationToken } from './installation-token.cache';

const token = (permissions: Record<string, string>): InstallationToken => ({ token: 'ghs_x', expires_at: '2030-01-01T00:00:00Z', permissions, repository_selection: 'all' });

describe('installation token narrowing', () => {
  it('says in the cache key whose permissions a token carries', () => {
    expect(narrowingKey({})).toBe('all');
    expect(narrowingKey({ repositories: ['b', 'a'] })).toMatch(/^r:[0-9a-f]{32}$/);
    expect(narrowingKey({ repositories: ['b', 'a'] })).toBe(narrowingKey({ repositories: ['a', 'b', 'a'] }));
    expect(narrowingKey({ permissions: { contents: 'read' } })).toMatch(/^p:[0-9a-f]{32}$/);
    expect(narrowingKey({ permissions: {} })).toBe('all');
  });

  it("keeps a token with the installation's permissions only while they are unchanged", () => {
    const granted = { contents: 'read', issues: 'write' };
    expect(tokenStillMatches('all', token({ contents: 'read', issues: 'write' }), granted)).toBe(true);
    expect(tokenStillMatches('all', token({ contents: 'read' }), granted)).toBe(false);
    expect(tokenStillMatches(narrowingKey({ repository_ids: [1] }), token({ contents: 'read', issues: 'read' }), granted)).toBe(false);
    // A GitHub Enterprise Server's tokens carry its endpoints' key before the narrowing.
    expect(tokenStillMatches(`0123456789abcdefall`, token(granted), granted)).toBe(true);
  });

  it('keeps a token with requested permissions while the installation still grants them', () => {
    const key = narrowingKey({ permissions: { contents: 'read' } });
    expect(tokenStillMatches(key, token({ contents: 'read' }), { contents: 'write', issues: 'write' })).toBe(true);
    expect(tokenStillMatches(key, token({ contents: 'write' }), { contents: 'read' })).toBe(false);
    expect(tokenStillMatches(key, token({ contents: 'read' }), { issues: 'write' })).toBe(false);
  });
});
