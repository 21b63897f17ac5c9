import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AccessRequestsModule } from './access-requests/access-requests.module';
import { AppConnectionsModule } from './app-connections/app-connections.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config/config.module';
import type { HubConfig } from './config/hub-config';
import { CommonModule } from './common/common.module';
import { RedisModule } from './common/redis.module';
import { dataSourceOptions } from './database/data-source-options';
import { runMigrationsLocked } from './database/migrations-lock';
import { DomainConnectModule } from './domain-connect/domain-connect.module';
import { EventsModule } from './events/events.module';
import { GithubModule } from './github/github.module';
import { HealthModule } from './health/health.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { MailModule } from './mail/mail.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { QueueModule } from './queue/queue.module';
import { ProxyModule } from './proxy/proxy.module';
import { ScanModule } from './scan/scan.module';

export interface AppModuleOptions {
  /** The PostgreSQL URL to use: DATABASE_URL or the embedded server's. */
  databaseUrl: string;
  embedded: boolean;
}

/** The modular monolith; every feature module is listed here once. */
@Module({})
export class AppModule {
  static forRoot(config: HubConfig, options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRootAsync({
          // Migrations run under an advisory lock (not TypeORM's migrationsRun), so replicas can start together.
          // Start-up already waited for the database (src/startup); a failure here is not worth ten more tries.
          useFactory: () => ({ ...dataSourceOptions(options.databaseUrl, { embedded: options.embedded, migrationsRun: false }), retryAttempts: 1, retryDelay: 1000 }),
          dataSourceFactory: async (dataSourceOpts) => {
            const dataSource = await new DataSource(dataSourceOpts as DataSourceOptions).initialize();
            if (config.migrationsRun) await runMigrationsLocked(dataSource, options.embedded);
            return dataSource;
          },
        }),
        RedisModule.forRoot(config),
        QueueModule.forRoot(config),
        CommonModule,
        MailModule,
        HealthModule,
        EventsModule,
        OrganizationsModule,
        AuthModule.register(OrganizationsModule),
        IntegrationsModule,
        AccessRequestsModule,
        DomainConnectModule,
        GithubModule,
        AuditModule,
        AppConnectionsModule,
        ScanModule,
        ProxyModule,
      ],
    };
  }
}
