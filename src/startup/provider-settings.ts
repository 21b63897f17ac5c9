import type { HubConfig } from '../config/hub-config';

/** How far a provider's settings go: enough to use it, none at all, or some but not enough. */
export type ProviderState = 'configured' | 'not configured' | 'incomplete';

export interface ProviderSettings {
  provider: string;
  state: ProviderState;
  /** One human sentence: what works, or what to set. */
  detail: string;
}

interface SettingGroup {
  provider: string;
  /** Variables that must all be set for the provider to work, with whether each is. */
  required: Record<string, boolean>;
  /** What setting them enables, for the "not configured" line. */
  enables: string;
  /** Said after "configured" when it is. */
  configuredAs: () => string;
  /** Optional variables and what is missing without them. */
  optional?: Record<string, { set: boolean; without: string }>;
}

function groups(config: HubConfig): SettingGroup[] {
  const gh = config.github;
  const oauth = (name: 'slack' | 'gitlab' | 'jira' | 'discord' | 'teams'): SettingGroup => {
    const p = config.providers[name];
    const prefix = name.toUpperCase();
    return {
      provider: name,
      required: { [`${prefix}_CLIENT_ID`]: !!p.clientId },
      enables: 'OAuth connect',
      configuredAs: () => `OAuth client ${p.clientId}`,
      optional: { [`${prefix}_CLIENT_SECRET`]: { set: !!p.clientSecret, without: 'a public client (PKCE only)' } },
    };
  };
  return [
    {
      provider: 'github',
      // A GitHub App is identified by its numeric id or, for JWTs, its client id.
      required: { 'GITHUB_APP_ID or GITHUB_APP_CLIENT_ID': !!(gh.appId || gh.clientId), GITHUB_APP_PRIVATE_KEY: !!gh.privateKey, GITHUB_APP_SLUG: !!gh.appSlug },
      enables: 'the GitHub App: installations, tokens, scans',
      configuredAs: () => `GitHub App ${gh.appSlug} on ${gh.apiUrl}`,
      optional: {
        GITHUB_APP_CLIENT_SECRET: { set: !!(gh.clientId && gh.clientSecret), without: 'no user OAuth (GITHUB_APP_CLIENT_ID and GITHUB_APP_CLIENT_SECRET)' },
        GITHUB_WEBHOOK_SECRET: { set: !!gh.webhookSecret, without: 'webhooks are refused' },
      },
    },
    oauth('slack'),
    oauth('gitlab'),
    oauth('jira'),
    oauth('discord'),
    oauth('teams'),
    {
      provider: 'mantisbt',
      required: { MANTISBT_URL: !!config.mantisbtUrl },
      enables: 'a default MantisBT URL for connect requests that give none',
      configuredAs: () => `default ${config.mantisbtUrl}`,
    },
    {
      provider: 'email',
      required: { SMTP_URL: !!config.smtpUrl },
      enables: 'mail delivery; until then mail is kept in the outbox',
      configuredAs: () => `SMTP ${smtpHost(config.smtpUrl)}, from ${config.emailFrom}`,
    },
    {
      provider: 'domain-connect',
      required: { DOMAIN_CONNECT_PRIVATE_KEY: !!config.domainConnect.privateKey, DOMAIN_CONNECT_PROVIDER_ID: !!config.domainConnect.providerId },
      enables: 'signed Domain Connect apply URLs; npm run cli -- domain-connect:keygen makes a key',
      configuredAs: () => `provider id ${config.domainConnect.providerId}, key ${config.domainConnect.keyId}`,
    },
  ];
}

function smtpHost(url: string | undefined): string {
  try {
    const u = new URL(url ?? '');
    return `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? 465 : 587)}`;
  } catch {
    return 'server';
  }
}

function listed(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
}

/** Per provider: configured, not configured (and what to set), or incomplete (and what is missing). */
export function providerSettings(config: HubConfig): ProviderSettings[] {
  return groups(config).map((g) => {
    const names = Object.keys(g.required);
    const missing = names.filter((n) => !g.required[n]);
    if (missing.length === names.length) return { provider: g.provider, state: 'not configured', detail: `set ${listed(names)} to enable ${g.enables}` };
    if (missing.length > 0) {
      const set = names.filter((n) => g.required[n]);
      return { provider: g.provider, state: 'incomplete', detail: `${listed(set)} ${set.length > 1 ? 'are' : 'is'} set but ${listed(missing)} ${missing.length > 1 ? 'are' : 'is'} not; set ${missing.length > 1 ? 'them' : 'it'} to enable ${g.enables}` };
    }
    const without = Object.entries(g.optional ?? {}).filter(([, o]) => !o.set).map(([name, o]) => `without ${name}: ${o.without}`);
    return { provider: g.provider, state: 'configured', detail: [g.configuredAs(), ...without].join('; ') };
  });
}
