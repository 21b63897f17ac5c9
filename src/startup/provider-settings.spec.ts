import { loadConfig } from '../config/hub-config';
import { providerSettings } from './provider-settings';

const byProvider = (env: NodeJS.ProcessEnv) => Object.fromEntries(providerSettings(loadConfig({ ENCRYPTION_KEYS: undefined, ...env })).map((p) => [p.provider, p]));

describe('providerSettings', () => {
  it('says what to set for a provider with no settings', () => {
    expect(byProvider({}).slack).toEqual({ provider: 'slack', state: 'not configured', detail: 'set SLACK_CLIENT_ID to enable OAuth connect' });
  });

  it('names what is missing when only part of a provider is set', () => {
    expect(byProvider({ DOMAIN_CONNECT_PROVIDER_ID: 'hub.example' })['domain-connect']).toMatchObject({
      state: 'incomplete',
      detail: expect.stringMatching(/^DOMAIN_CONNECT_PROVIDER_ID is set but DOMAIN_CONNECT_PRIVATE_KEY is not; set it/),
    });
  });

  it('describes a configured provider and what its optional settings would add', () => {
    const email = byProvider({ SMTP_URL: 'smtp://user:pw@mail.example.com:2525' }).email;
    expect(email).toEqual({ provider: 'email', state: 'configured', detail: 'SMTP mail.example.com:2525, from Integrations Hub <no-reply@localhost>' });
    expect(byProvider({ GITLAB_CLIENT_ID: 'abc' }).gitlab.detail).toBe('OAuth client abc; without GITLAB_CLIENT_SECRET: a public client (PKCE only)');
  });
});
