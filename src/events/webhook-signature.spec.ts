import { generateSigningSecret, signatureFor, standardWebhookHeaders } from './webhook-signature';

describe('Standard Webhooks signature', () => {
  it('generates whsec_ secrets of 32 random bytes', () => {
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(a);
  });

  it('matches the specification example', () => {
    // From the Standard Webhooks specification (and the svix libraries' tests).
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(signatureFor(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('signs with every secret of a grace period', () => {
    const headers = standardWebhookHeaders(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'], 'msg_1', 1, '{}');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe('1');
  });
});
