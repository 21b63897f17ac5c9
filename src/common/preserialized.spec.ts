import { accessTokenBody } from '../github/github-broker.service';
import { preserialized, serializeReply } from './preserialized';

describe('preserialized replies', () => {
  it('sends the text of a marked body and JSON.stringify of any other', () => {
    expect(serializeReply(preserialized({ a: 1 }, '{"a":1}'))).toBe('{"a":1}');
    for (const v of [{ a: [1, { b: null }] }, [1, 2], null, 'x', 3]) expect(serializeReply(v)).toBe(JSON.stringify(v));
  });

  it("a mint's body serializes to what JSON.stringify gives, cached or not, narrowed or not", () => {
    const plain = { token: 'ghs_1', expires_at: '2030-01-01T00:00:00Z', permissions: { contents: 'read', metadata: 'read' }, repository_selection: 'all' };
    const narrowed = { ...plain, repository_selection: 'selected', repositories: [{ id: 1, node_id: 'R_1', name: 'a "b"', full_name: 'o/a', private: false, owner: { login: 'o' }, topics: [] }] };
    const user = { login: 'octo', id: 42, node_id: 'U_1', avatar_url: 'https://x/\u2028', type: 'User', site_admin: false };
    for (const token of [plain, narrowed]) {
      for (const onBehalfOf of [null, user]) {
        const body = accessTokenBody(token, onBehalfOf as never);
        expect(serializeReply(body)).toBe(JSON.stringify(body));
        expect(serializeReply(accessTokenBody(token, onBehalfOf as never))).toBe(JSON.stringify(body));
      }
    }
  });
});
