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

export function parseEmailConfig(body: Record<string, unknown>): EmailDomainConfig {
  const { domain, verify_token, dkim_tokens, mail_from_subdomain, region } = body;
  if (typeof domain !== 'string' || !DOMAIN.test(domain)) throw invalidEmailConfig('domain', 'domain must be a domain name');
  if (typeof verify_token !== 'string' || !TOKEN.test(verify_token)) throw invalidEmailConfig('verify_token', 'verify_token is required');
  if (!Array.isArray(dkim_tokens) || dkim_tokens.length !== 3 || !dkim_tokens.every((t) => typeof t === 'string' && TOKEN.test(t))) {
    throw invalidEmailConfig('dkim_tokens', 'dkim_tokens must be exactly three tokens');
  }
  if (mail_from_subdomain !== undefined && (typeof mail_from_subdomain !== 'string' || !/^[a-z0-9-]{1,63}$/.test(mail_from_subdomain))) {
    throw invalidEmailConfig('mail_from_subdomain', 'mail_from_subdomain must be a single DNS label');
  }
  if (typeof region !== 'string' || !REGION.test(region)) throw invalidEmailConfig('region', 'region must look like us-east-1');
  return { domain: domain.toLowerCase(), verify_token, dkim_tokens: dkim_tokens as string[], ...(mail_from_subdomain ? { mail_from_subdomain } : {}), region };
}
