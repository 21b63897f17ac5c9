import { Inject, Injectable } from '@nestjs/common';
import { OutboundBlockedError } from '../common/outbound/address-guard';
import { OutboundHttpService } from '../common/outbound/outbound-http.service';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { GithubClient, GithubEndpoints } from '../github/github-client.service';
import { AppConnectionMethod, GithubInstanceType } from './app-connection.enums';
import { hostNotAllowed } from './app-connections.errors';
import type { GithubAppCredentialsInputDto, GithubOAuthCredentialsInputDto } from './dto/github-connection-input.dto';
import { githubCodeInvalid, installationAccessDenied } from '../github/github.errors';

/** Where a GitHub connection's credentials are used: github.com (or the hub's configured GitHub), or a server's host. */
interface GithubInstance {
  instanceType: GithubInstanceType;
  host?: string;
}

/** What a `github-app` connection keeps (sealed): the installation, never the code or the user token. */
export interface GithubAppConnectionCredentials extends GithubInstance {
  installationId: string;
}

/** What an `oauth` connection keeps (sealed): the user token the code was exchanged for. */
export interface GithubOAuthConnectionCredentials extends GithubInstance {
  accessToken: string;
}

export type GithubConnectionCredentials = GithubAppConnectionCredentials | GithubOAuthConnectionCredentials;

/**
 * Turns submitted GitHub credentials into kept ones: the host passes the outbound guard, the code is exchanged
 * for a user token at the GitHub instance, and for `github-app` that user must see the installation (the token is
 * then dropped); for `oauth` the token is what is kept.
 */
@Injectable()
export class GithubConnectionCredentialsService {
  constructor(
    private readonly github: GithubClient,
    private readonly outbound: OutboundHttpService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  /** Where calls for these credentials go: github.com (or the configured GitHub) or `https://{host}`; via a gateway's proxy. */
  endpoints(credentials: GithubInstance, proxyUrl?: string): GithubEndpoints | undefined {
    if (credentials.instanceType === GithubInstanceType.Server) {
      return { apiUrl: `https://${credentials.host}/api/v3`, webUrl: `https://${credentials.host}`, proxyUrl };
    }
    return proxyUrl ? { apiUrl: this.config.github.apiUrl, webUrl: this.config.github.webUrl, proxyUrl } : undefined;
  }

  async verify(method: AppConnectionMethod, input: GithubAppCredentialsInputDto | GithubOAuthCredentialsInputDto, proxyUrl?: string): Promise<GithubConnectionCredentials> {
    const instanceType = input.instanceType ?? GithubInstanceType.Cloud;
    // A host beside a cloud instance is accepted, as upstream does, and unused: cloud is the hub's configured GitHub.
    const host = instanceType === GithubInstanceType.Server ? input.host?.toLowerCase() : undefined;
    if (host) await this.assertAllowedHost(host);
    const instance: GithubInstance = { instanceType, ...(host ? { host } : {}) };
    const endpoints = this.endpoints(instance, proxyUrl);
    const userToken = await this.github.exchangeCode(input.code, undefined, endpoints);
    if (!userToken) throw githubCodeInvalid();
    if (method === AppConnectionMethod.OAuth) return { accessToken: userToken.token, ...instance };
    const installationId = (input as GithubAppCredentialsInputDto).installationId;
    const visible = await this.github.paginateWithToken<{ id: number }>(userToken.token, 'GET /user/installations', {}, { endpoints });
    if (!visible.some((i) => String(i.id) === installationId)) throw installationAccessDenied();
    return { installationId, ...instance };
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
