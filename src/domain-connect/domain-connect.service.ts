import { Inject, Injectable } from '@nestjs/common';
import { createPrivateKey, KeyObject } from 'node:crypto';
import { OrgPrincipal } from '../auth/principal';
import { OutboundHttpService } from '../common/outbound/outbound-http.service';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { IntegrationProvider } from '../integrations/integration.enums';
import { IntegrationsService } from '../integrations/integrations.service';
import { Discovery, DomainConnectDiscoveryService, ProviderSettings, SplitDomain } from './domain-connect-discovery.service';
import { DomainConnectContext, TemplateSupport } from './domain-connect.enums';
import { buildApplyUrl, publicKeyRecords, rfc3986 } from './domain-connect.signer';
import { ApplyUrlDto, ApplyUrlRequestDto, DomainConnectCheckDto, PublicKeyRecordsDto, TemplateSupportDto } from './dto/domain-connect.dto';
import { ProxyRecordsService } from './proxy-records.service';
import { integrationNotFound } from '../integrations/integrations.errors';
import { domainConnectNotSupported, domainConnectUnavailable, domainRequired, emailIntegrationIncomplete, integrationIdRequired, invalidContext, invalidRedirectUri, notAnEmailIntegration, proxyRecordIdRequired, signingKeyNotConfigured, unsupportedProviderEndpoint } from './domain-connect.errors';


interface Target {
  domain: SplitDomain;
  serviceId: string;
  variables: Record<string, string>;
}

/** Domain Connect for the two contexts: an email sender domain and a reverse proxy record. */
@Injectable()
export class DomainConnectService {
  private signingKey: KeyObject | null | undefined;

  constructor(
    private readonly discovery: DomainConnectDiscoveryService,
    private readonly integrations: IntegrationsService,
    private readonly proxyRecords: ProxyRecordsService,
    private readonly outbound: OutboundHttpService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async check(domain: string | undefined): Promise<DomainConnectCheckDto> {
    const found = await this.discovery.discover(this.split(domain).apex);
    return found.supported
      ? { supported: true, provider_name: found.settings.providerName, available_providers: [] }
      : { supported: false, provider_name: found.providerName, available_providers: this.discovery.providers };
  }

  async applyUrl(principal: OrgPrincipal, dto: ApplyUrlRequestDto): Promise<ApplyUrlDto> {
    const context = this.context(dto.context);
    if (context === DomainConnectContext.Email && !dto.integration_id) {
      throw integrationIdRequired();
    }
    if (context === DomainConnectContext.Proxy && !dto.proxy_record_id) {
      throw proxyRecordIdRequired();
    }
    const manual = dto.provider_endpoint ? this.discovery.providerFor(dto.provider_endpoint) : undefined;
    if (dto.provider_endpoint && !manual) throw unsupportedProviderEndpoint();
    if (dto.redirect_uri && !this.underSiteUrl(dto.redirect_uri)) {
      throw invalidRedirectUri(this.config.siteUrl);
    }
    const key = this.key();
    const providerId = this.config.domainConnect.providerId;
    if (!key || !providerId) throw domainConnectUnavailable();

    const target = context === DomainConnectContext.Email
      ? await this.emailTarget(principal, dto.integration_id as string)
      : await this.proxyTarget(principal, dto.proxy_record_id as string);
    const found = manual ? await this.discovery.withProvider(target.domain.apex, manual) : await this.discovery.discover(target.domain.apex);
    if (!found.supported) throw domainConnectNotSupported();
    const url = buildApplyUrl({
      urlSyncUX: found.settings.urlSyncUX,
      providerId,
      serviceId: target.serviceId,
      domain: target.domain.apex,
      host: target.domain.host,
      variables: target.variables,
      redirectUri: dto.redirect_uri,
      keyId: this.config.domainConnect.keyId,
      privateKey: key,
    });
    return { url };
  }

  /** Asks the provider whether it hosts our template for the context's service. */
  async templateSupport(domain: string | undefined, context: string | undefined): Promise<TemplateSupportDto> {
    const serviceId = this.serviceId(this.context(context));
    const found: Discovery = await this.discovery.discover(this.split(domain).apex);
    if (!found.supported) return { supported: false, provider_name: found.providerName, service_id: serviceId, template_supported: TemplateSupport.Unknown };
    return {
      supported: true,
      provider_name: found.settings.providerName,
      service_id: serviceId,
      template_supported: await this.fetchTemplate(found.settings, serviceId),
    };
  }

  publicKeyRecords(): PublicKeyRecordsDto {
    const pem = this.config.domainConnect.privateKey;
    const domain = this.config.domainConnect.pubKeyDomain;
    if (!pem || !domain) throw signingKeyNotConfigured();
    const keyId = this.config.domainConnect.keyId;
    return { host: `${keyId}.${domain}`, key_id: keyId, records: publicKeyRecords(pem) };
  }

  private async fetchTemplate(settings: ProviderSettings, serviceId: string): Promise<TemplateSupport> {
    const providerId = this.config.domainConnect.providerId;
    if (!providerId) return TemplateSupport.Unknown;
    const url = `${settings.urlAPI.replace(/\/+$/, '')}/v2/domainTemplates/providers/${rfc3986(providerId)}/services/${rfc3986(serviceId)}`;
    try {
      const res = await this.outbound.request(url, { timeoutMs: 5000, attempts: 1 });
      await res.body?.cancel();
      if (res.status >= 200 && res.status < 300) return TemplateSupport.Yes;
      return res.status === 404 ? TemplateSupport.No : TemplateSupport.Unknown;
    } catch {
      return TemplateSupport.Unknown;
    }
  }

  private async emailTarget(principal: OrgPrincipal, integrationId: string): Promise<Target> {
    const integration = await this.integrations.findInOrganization(principal.organizationId, integrationId);
    if (integration.projectId !== principal.projectId) throw integrationNotFound();
    if (integration.provider !== IntegrationProvider.Email) {
      throw notAnEmailIntegration();
    }
    const config = JSON.parse(integration.configuration || '{}') as {
      domain?: string; verify_token?: string; dkim_tokens?: string[]; mail_from_subdomain?: string; region?: string;
    };
    const dkim = config.dkim_tokens ?? [];
    if (!config.domain || !config.verify_token || dkim.length < 3) {
      throw emailIntegrationIncomplete();
    }
    return {
      domain: this.discovery.split(config.domain),
      serviceId: this.serviceId(DomainConnectContext.Email),
      variables: {
        verifyToken: config.verify_token,
        dkim1: dkim[0],
        dkim2: dkim[1],
        dkim3: dkim[2],
        mailFromSub: config.mail_from_subdomain || 'feedback',
        sesRegion: config.region || 'us-east-1',
      },
    };
  }

  private async proxyTarget(principal: OrgPrincipal, recordId: string): Promise<Target> {
    const record = await this.proxyRecords.findInOrganization(principal.organizationId, recordId);
    return {
      domain: this.discovery.split(record.domain),
      serviceId: this.serviceId(DomainConnectContext.Proxy),
      variables: { target: record.targetCname },
    };
  }

  private serviceId(context: DomainConnectContext): string {
    const prefix = context === DomainConnectContext.Email ? 'email-verification' : 'reverse-proxy';
    return `${prefix}-${this.config.domainConnect.region}`;
  }

  private context(value: string | undefined): DomainConnectContext {
    if (value === DomainConnectContext.Email || value === DomainConnectContext.Proxy) return value;
    throw invalidContext();
  }

  private split(domain: string | undefined): SplitDomain {
    if (!domain?.trim()) throw domainRequired();
    return this.discovery.split(domain);
  }

  private underSiteUrl(uri: string): boolean {
    const site = new URL(this.config.siteUrl);
    let target: URL;
    try {
      target = new URL(uri);
    } catch {
      return false;
    }
    const base = site.pathname.replace(/\/+$/, '');
    return target.origin === site.origin && (target.pathname === base || target.pathname.startsWith(`${base}/`) || base === '');
  }

  private key(): KeyObject | null {
    if (this.signingKey === undefined) {
      const pem = this.config.domainConnect.privateKey;
      this.signingKey = pem ? createPrivateKey(pem) : null;
    }
    return this.signingKey;
  }
}
