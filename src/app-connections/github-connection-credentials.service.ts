import { Inject, Injectable } from '@nestjs/common';
import { OutboundBlockedError } from '../common/outbound/address-guard';
import { OutboundHttpService } from '../common/outbound/outbound-http.service';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { GithubClient, GithubEndpoints } from '../github/github-client.service';
import { GithubInstanceType } from './app-connection.enums';
import { hostNotAllowed, invalidCredentials } from './app-connections.errors';
import type { GithubConnectionCredentialsInputDto } from './dto/github-connection-input.dto';
import { githubCodeInvalid, installationAccessDenied } from '../github/github.errors';

/** What a GitHub connection keeps (sealed): never the code or the user token. */
export interface GithubConnectionCredentials {
  installationId: string;
  instanceType: GithubInstanceType;
  host?: string;
}

/**
 * Turns submitted GitHub credentials into kept ones: the host passes the outbound guard, the code is exchanged
 * for a user token at the GitHub instance, and that user must see the installation. The token is then dropped.
 */
@Injectable()
export class GithubConnectionCredentialsService {
  constructor(
    private readonly github: GithubClient,
    private readonly outbound: OutboundHttpService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Where calls for these credentials go: github.com (or the configured GitHub) or `https://{host}`; via a gateway's proxy. */
  endpoints(credentials: Pick<GithubConnectionCredentials, 'instanceType' | 'host'>, proxyUrl?: string): GithubEndpoints | undefined {
    if (credentials.instanceType === GithubInstanceType.Server) {
      return { apiUrl: `https://${credentials.host}/api/v3`, webUrl: `https://${credentials.host}`, proxyUrl };
    }
    return proxyUrl ? { apiUrl: this.config.github.apiUrl, webUrl: this.config.github.webUrl, proxyUrl } : undefined;
  }

  async verify(input: GithubConnectionCredentialsInputDto, proxyUrl?: string): Promise<GithubConnectionCredentials> {
    const instanceType = input.instanceType ?? GithubInstanceType.Cloud;
    if (instanceType === GithubInstanceType.Cloud && input.host !== undefined) throw invalidCredentials('credentials.host: host is only used with instanceType "server"');
    const host = instanceType === GithubInstanceType.Server ? input.host?.toLowerCase() : undefined;
    if (host) await this.assertAllowedHost(host);
    const endpoints = this.endpoints({ instanceType, host }, proxyUrl);
    const userToken = await this.github.exchangeCode(input.code, undefined, endpoints);
    if (!userToken) throw githubCodeInvalid();
    const visible = await this.github.paginateWithToken<{ id: number }>(userToken.token, 'GET /user/installations', {}, { endpoints });
    if (!visible.some((i) => String(i.id) === input.installationId)) throw installationAccessDenied();
    return { installationId: input.installationId, instanceType, ...(host ? { host } : {}) };
  }

  private async assertAllowedHost(host: string): Promise<void> {
    try {
      await this.outbound.assertPublicHost(host.replace(/:\d+$/, ''));
    } catch (err) {
      if (err instanceof OutboundBlockedError) throw hostNotAllowed(host, 'private, loopback, link-local and metadata addresses are refused');
      throw hostNotAllowed(host, 'it could not be resolved');
    }
  }
}
