import { accessTokenBody } from '../github/github-broker.service';
import { jsonPayload, PRESERIALIZED_BYTES_FROM, preserialized, serializeReply } from './preserialized';

/** What the reply writes, as text: the serializer may hand Fastify the bytes of a long body. */
const sent = (body: unknown): string => {
  const out = serializeReply(body);
  return typeof out === 'string' ? out : out.toString('utf8');
};

describe('preserialized replies', () => {
  it('sends the text of a marked body and JSON.stringify of any other', () => {
    expect(serializeReply(preserialized({ a: 1 }, '{"a":1}'))).toBe('{"a":1}');
    for (const v of [{ a: [1, { b: null }] }, [1, 2], null, 'x', 3]) expect(serializeReply(v)).toBe(JSON.stringify(v));
  });

  it('keeps a long JSON text as its UTF-8 bytes and a short one as text', () => {
    const long = { s: `é€😀${'x'.repeat(PRESERIALIZED_BYTES_FROM)}` };
    const bytes = jsonPayload(JSON.stringify(long));
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(serializeReply(preserialized(long, bytes))).toBe(bytes);
    expect(sent(preserialized(long, bytes))).toBe(JSON.stringify(long));
    expect(Buffer.byteLength(JSON.stringify(long))).toBe((bytes as Buffer).length);
    expect(jsonPayload('{"a":1}')).toBe('{"a":1}');
    const text = JSON.stringify({ s: 'é€😀\u2028\ud800', n: 1 });
    expect(jsonPayload(`${text.slice(0, 7)}${text.slice(7)}`)).toBe(text);
  });

  it("a mint's body serializes to what JSON.stringify gives, cached or not, narrowed or not", () => {
    const plain = { token: 'ghs_1', expires_at: '2030-01-01T00:00:00Z', permissions: { contents: 'read', metadata: 'read' }, repository_selection: 'all' };
    const repository = { id: 1, node_id: 'R_1', name: 'a "b"', full_name: 'o/a', private: false, owner: { login: 'o' }, topics: [], description: 'ü'.repeat(PRESERIALIZED_BYTES_FROM) };
    const narrowed = { ...plain, repository_selection: 'selected', repositories: [repository] };
    const user = { login: 'octo', id: 42, node_id: 'U_1', avatar_url: 'https://x/\u2028', type: 'User', site_admin: false };
    for (const token of [plain, narrowed]) {
      for (const onBehalfOf of [null, user]) {
        const body = accessTokenBody(token, onBehalfOf as never);
        expect(sent(body)).toBe(JSON.stringify(body));
        expect(sent(accessTokenBody(token, onBehalfOf as never))).toBe(JSON.stringify(body));
      }
    }
    // The narrowed answer on nobody's behalf is long: its bytes, made once per token object.
    expect(Buffer.isBuffer(serializeReply(accessTokenBody(narrowed, null)))).toBe(true);
    expect(serializeReply(accessTokenBody(narrowed, null))).toBe(serializeReply(accessTokenBody(narrowed, null)));
  });
});
