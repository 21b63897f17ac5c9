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

  it('checks a narrowing before it names it, every time it is asked (a refused spelling is not remembered)', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => narrowingKey({ permissions: { contents: 'owner' } })).toThrow(expect.objectContaining({ code: 'INVALID_PERMISSION_LEVEL' }));
      expect(() => narrowingKey({ permissions: { 'Contents!': 'read' } })).toThrow(expect.objectContaining({ code: 'INVALID_PERMISSION_LEVEL' }));
      expect(() => narrowingKey({ repositories: ['a'], repository_ids: Array.from({ length: 500 }, (_, n) => n) })).toThrow(expect.objectContaining({ code: 'TOO_MANY_REPOSITORIES' }));
    }
    // A valid spelling is remembered; the same narrowing spelled otherwise, or too long to remember, names the same key.
    const key = narrowingKey({ repositories: ['b', 'a'], permissions: { issues: 'write', contents: 'read' } });
    expect(narrowingKey({ repositories: ['b', 'a'], permissions: { issues: 'write', contents: 'read' } })).toBe(key);
    expect(narrowingKey({ repositories: ['a', 'b'], permissions: { contents: 'read', issues: 'write' } })).toBe(key);
    const long = Array.from({ length: 300 }, (_, n) => `repository-${n}`);
    expect(narrowingKey({ repositories: long })).toBe(narrowingKey({ repositories: [...long].reverse() }));
    expect(narrowingKey({ repositories: long })).toMatch(/^r:[0-9a-f]{32}$/);
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
