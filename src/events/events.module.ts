import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { EventOutboxService } from './event-outbox.service';
import { EventsMetrics } from './events.metrics';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEventEntity } from './webhook-event.entity';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';
import { WebhooksController } from './webhooks.controller';

/**
 * Events out: webhook subscriptions, the transactional outbox and Standard Webhooks delivery. Global so that
 * the modules whose changes cause events record them (`EventOutboxService.record(manager, event)`) without
 * importing it; it depends on none of them.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([WebhookSubscriptionEntity, WebhookEventEntity, WebhookDeliveryEntity]), AuditModule, OrganizationsModule],
  controllers: [WebhooksController],
  providers: [EventOutboxService, WebhookDeliveryService, WebhookSubscriptionsService, EventsMetrics],
  exports: [EventOutboxService],
})
export class EventsModule {}
