import { parseGateways } from './gateway-settings';

describe('parseGateways', () => {
  const id = '3c90c3cc-0d44-4b50-8888-8dd25736052a';

  it('reads gateway ids and proxy URLs', () => {
    expect([...parseGateways(`{"${id}":"http://127.0.0.1:3128"}`)]).toEqual([[id, 'http://127.0.0.1:3128']]);
    expect(parseGateways('{}').size).toBe(0);
  });

  it('names GATEWAYS when the value is invalid', () => {
    expect(() => parseGateways('nope')).toThrow(/^GATEWAYS: must be a JSON object/);
    expect(() => parseGateways('[]')).toThrow(/^GATEWAYS: must be a JSON object/);
    expect(() => parseGateways('{"gw1":"http://p:1"}')).toThrow("GATEWAYS: gateway id 'gw1' must be a uuid");
    expect(() => parseGateways(`{"${id}":"ftp://p"}`)).toThrow(/must map to an http\(s\)/);
  });
});
