import { Inject, Injectable } from '@nestjs/common';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { AppConnectionApp, AppConnectionMethod } from './app-connection.enums';
import { AppConnectionOptionsDto } from './dto/app-connection.dto';

/**
 * What a client may connect on this hub: GitHub through the hub's GitHub App, when it is configured — an installation
 * (`github-app`) or a user's authorization of the same App (`oauth`, whose code is for `oauthClientId`).
 */
@Injectable()
export class AppConnectionOptionsService {
  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {}

  list(): AppConnectionOptionsDto {
    const { appSlug, webUrl, clientId } = this.config.github;
    return {
      appConnectionOptions: [
        {
          name: 'GitHub',
          app: AppConnectionApp.Github,
          methods: [AppConnectionMethod.GithubApp, AppConnectionMethod.OAuth],
          oauthClientId: clientId ?? null,
          appClientSlug: appSlug ?? null,
          setupUrl: appSlug ? `${webUrl}/apps/${encodeURIComponent(appSlug)}/installations/new` : null,
        },
      ],
    };
  }
}
