import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { sealContextOf } from '../common/sealed-column';
import { KeyRing } from '../common/sealed-secrets';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { GITHUB_APP_REGISTRATION_ID, GithubAppRegistrationEntity } from './github-app-registration.entity';
import { GithubClient } from './github-client.service';
import { githubAppAlreadyConfigured } from './github.errors';

/** How often a replica without an App looks for one another replica created through the manifest flow. */
const RELOAD_INTERVAL_MS = 30_000;

export type GithubAppSource = 'environment' | 'manifest' | 'none';

/** What `POST /app-manifests/{code}/conversions` answers, as stored. */
export interface ConvertedApp {
  id: number;
  slug: string;
  client_id: string;
  client_secret: string;
  webhook_secret: string | null;
  pem: string;
  html_url: string;
  owner?: { login?: string } | null;
}

const sealed = (field: 'sealedPrivateKey' | 'sealedClientSecret' | 'sealedWebhookSecret') => sealContextOf(GithubAppRegistrationEntity, field, GITHUB_APP_REGISTRATION_ID);

/**
 * Where the GitHub App's settings come from: the GITHUB_APP_* environment when any of them is set (env wins), else
 * the App created through the manifest flow, applied to the shared configuration so every reader of
 * `config.github` (client, install flow, webhooks, broker) uses it.
 */
@Injectable()
export class GithubAppSettingsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('GithubAppSettings');
  /** Settings given in the environment, captured before anything stored is applied. */
  private readonly fromEnv: { app: boolean; webhookSecret: boolean };
  private applied = false;
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectRepository(GithubAppRegistrationEntity) private readonly registrations: Repository<GithubAppRegistrationEntity>,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly keyRing: KeyRing,
    private readonly github: GithubClient,
  ) {
    const gh = config.github;
    this.fromEnv = { app: !!(gh.appId || gh.clientId || gh.privateKey || gh.appSlug), webhookSecret: !!gh.webhookSecret };
  }

  get source(): GithubAppSource {
    if (this.fromEnv.app) return 'environment';
    return this.applied ? 'manifest' : 'none';
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.fromEnv.app) return;
    await this.reload();
    if (!this.applied) {
      this.timer = setInterval(() => void this.reload().catch((err: Error) => this.logger.warn(`reading the stored GitHub App failed: ${err.message}`)), RELOAD_INTERVAL_MS);
      this.timer.unref();
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Throws 409 when the hub already has an App (from the environment or an earlier manifest). */
  async assertNoApp(): Promise<void> {
    if (this.source === 'none') await this.reload();
    if (this.source !== 'none') throw githubAppAlreadyConfigured(this.source === 'environment' ? 'GITHUB_APP_* settings' : 'created through the manifest flow');
  }

  /** Stores a converted App sealed (the first one wins across replicas) and starts using it. */
  async store(app: ConvertedApp, createdBy: { userId: string; organizationId: string }): Promise<GithubAppRegistrationEntity> {
    const id = GITHUB_APP_REGISTRATION_ID;
    await this.registrations
      .createQueryBuilder()
      .insert()
      .values({
        id,
        appId: String(app.id),
        slug: app.slug,
        clientId: app.client_id,
        htmlUrl: app.html_url,
        ownerLogin: app.owner?.login ?? null,
        apiUrl: this.config.github.apiUrl,
        sealedPrivateKey: this.keyRing.seal(app.pem, sealed('sealedPrivateKey')),
        sealedClientSecret: this.keyRing.seal(app.client_secret, sealed('sealedClientSecret')),
        sealedWebhookSecret: app.webhook_secret ? this.keyRing.seal(app.webhook_secret, sealed('sealedWebhookSecret')) : null,
        createdBy: createdBy.userId,
        organizationId: createdBy.organizationId,
      })
      .orIgnore()
      .execute();
    const row = await this.registrations.findOneByOrFail({ id });
    // Another admin's conversion got there first: theirs is the hub's App.
    if (row.appId !== String(app.id)) throw githubAppAlreadyConfigured('created through the manifest flow');
    await this.reload();
    return row;
  }

  /** Applies the stored App to the configuration when the environment has none. */
  private async reload(): Promise<void> {
    if (this.fromEnv.app || this.applied) return;
    const row = await this.registrations.findOneBy({ id: GITHUB_APP_REGISTRATION_ID });
    if (!row) return;
    if (row.apiUrl !== this.config.github.apiUrl) {
      this.logger.warn(`the stored GitHub App ${row.slug} belongs to ${row.apiUrl}, not GITHUB_API_URL ${this.config.github.apiUrl}: not used`);
      return;
    }
    const gh = this.config.github;
    gh.appId = row.appId;
    gh.appSlug = row.slug;
    gh.clientId = row.clientId;
    gh.privateKey = this.keyRing.open(row.sealedPrivateKey, sealed('sealedPrivateKey'));
    gh.clientSecret = this.keyRing.open(row.sealedClientSecret, sealed('sealedClientSecret'));
    if (!this.fromEnv.webhookSecret && row.sealedWebhookSecret) gh.webhookSecret = this.keyRing.open(row.sealedWebhookSecret, sealed('sealedWebhookSecret'));
    this.github.resetAppCredentials();
    this.applied = true;
    if (this.timer) clearInterval(this.timer);
    this.logger.log(`using the GitHub App ${row.slug} (id ${row.appId}) created through the manifest flow`);
  }
}
