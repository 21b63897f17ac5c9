import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { OrgPrincipal } from '../auth/principal';
import { OutboundBlockedError } from '../common/outbound/address-guard';
import { OutboundHttpService } from '../common/outbound/outbound-http.service';
import { KeyRing } from '../common/sealed-secrets';
import { HUB_CONFIG } from '../config/config.module';
import type { HubConfig } from '../config/hub-config';
import { CreatedWebhookDto, CreateWebhookDto, DEFAULT_GRACE_SECONDS, RolledWebhookSecretDto, RollWebhookSecretDto, UpdateWebhookDto, WebhookDto, WebhookListDto } from './dto/webhook.dto';
import { ListWebhookDeliveriesQueryDto, WebhookDeliveryDto, WebhookDeliveryPageDto } from './dto/webhook-delivery.dto';
import { EventOutboxService } from './event-outbox.service';
import { WebhookAuditAction, WebhookDeliveryStatus, WebhookEventType } from './events.enums';
import { deliveryInFlight, deliveryNotFound, subscriptionDisabled, subscriptionNotFound, urlInvalid, urlNotAllowed } from './events.errors';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEventEntity } from './webhook-event.entity';
import { generateSigningSecret } from './webhook-signature';
import { previousSecretSealContext, secretSealContext } from './webhook-secrets';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { toPage, type PageLocation } from '../common/pagination';
import { DEFAULT_PAGE_LIMIT, LimitOffsetQueryDto } from '../common/dto/pagination.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Organization admins manage subscriptions; every change is audited; secrets are sealed and shown once. */
@Injectable()
export class WebhookSubscriptionsService {
  constructor(
    @InjectRepository(WebhookSubscriptionEntity) private readonly subscriptions: Repository<WebhookSubscriptionEntity>,
    @InjectRepository(WebhookDeliveryEntity) private readonly deliveries: Repository<WebhookDeliveryEntity>,
    private readonly outbox: EventOutboxService,
    private readonly delivery: WebhookDeliveryService,
    private readonly outbound: OutboundHttpService,
    private readonly keyRing: KeyRing,
    private readonly audit: AuditService,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
  ) {}

  async create(principal: OrgPrincipal, dto: CreateWebhookDto, requestId: string): Promise<CreatedWebhookDto> {
    const url = await this.checkedUrl(dto.url);
    const id = randomUUID();
    const secret = generateSigningSecret();
    const row = await this.subscriptions.save(
      this.subscriptions.create({
        id,
        organizationId: principal.organizationId,
        url,
        description: dto.description || null,
        eventTypes: [...new Set(dto.events)],
        enabled: dto.enabled ?? true,
        disabledReason: null,
        sealedSecret: this.keyRing.seal(secret, secretSealContext(id)),
        sealedPreviousSecret: null,
        previousSecretExpiresAt: null,
        failingSince: null,
        createdBy: principal.userId,
      }),
    );
    await this.audit.record(principal, { action: WebhookAuditAction.Create, target: auditTarget(id), requestId });
    return { ...toWebhookDto(row), secret };
  }

  async list(principal: OrgPrincipal, q: LimitOffsetQueryDto, at: PageLocation): Promise<WebhookListDto> {
    const [rows, count] = await this.subscriptions.findAndCount({
      where: { organizationId: principal.organizationId },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: q.limit ?? DEFAULT_PAGE_LIMIT,
      skip: q.offset ?? 0,
    });
    return toPage(rows.map(toWebhookDto), count, q, at);
  }

  async get(principal: OrgPrincipal, id: string): Promise<WebhookDto> {
    return toWebhookDto(await this.find(principal, id));
  }

  async update(principal: OrgPrincipal, id: string, dto: UpdateWebhookDto, requestId: string): Promise<WebhookDto> {
    const row = await this.find(principal, id);
    if (dto.url !== undefined) row.url = await this.checkedUrl(dto.url);
    if (dto.events !== undefined) row.eventTypes = [...new Set(dto.events)];
    if (dto.description !== undefined) row.description = dto.description || null;
    const disabling = dto.enabled === false && row.enabled;
    if (dto.enabled !== undefined && dto.enabled !== row.enabled) {
      row.enabled = dto.enabled;
      row.disabledReason = null;
      row.failingSince = null;
    }
    const saved = await this.subscriptions.save(row);
    if (disabling) await this.delivery.failPending(row.id, 'Subscription disabled');
    await this.audit.record(principal, { action: WebhookAuditAction.Update, target: auditTarget(id), requestId });
    return toWebhookDto(saved);
  }

  async remove(principal: OrgPrincipal, id: string, requestId: string): Promise<void> {
    const row = await this.find(principal, id);
    await this.subscriptions.delete({ id: row.id });
    await this.audit.record(principal, { action: WebhookAuditAction.Delete, target: auditTarget(id), requestId });
  }

  /** A new secret signs from now on; the old one signs beside it until the grace period ends (receivers verify either). */
  async rollSecret(principal: OrgPrincipal, id: string, dto: RollWebhookSecretDto, requestId: string): Promise<RolledWebhookSecretDto> {
    const row = await this.find(principal, id);
    const grace = dto.grace_period_seconds ?? DEFAULT_GRACE_SECONDS;
    const secret = generateSigningSecret();
    const current = this.keyRing.open(row.sealedSecret, secretSealContext(id));
    row.sealedPreviousSecret = grace > 0 ? this.keyRing.seal(current, previousSecretSealContext(id)) : null;
    row.previousSecretExpiresAt = grace > 0 ? new Date(Date.now() + grace * 1000) : null;
    row.sealedSecret = this.keyRing.seal(secret, secretSealContext(id));
    await this.subscriptions.save(row);
    await this.audit.record(principal, { action: WebhookAuditAction.RollSecret, target: auditTarget(id), requestId });
    return { secret, previous_secret_expires_at: row.previousSecretExpiresAt?.toISOString() ?? null };
  }

  /** Sends a `webhook.test` event to this subscription only. */
  async test(principal: OrgPrincipal, id: string, requestId: string): Promise<WebhookDeliveryDto> {
    const row = await this.find(principal, id);
    if (!row.enabled) throw subscriptionDisabled();
    const eventId = await this.subscriptions.manager.transaction((tx) =>
      this.outbox.record(tx, { type: WebhookEventType.WebhookTest, organizationId: row.organizationId, payload: { subscription_id: row.id, requested_by: principal.userId } }, row.id),
    );
    await this.audit.record(principal, { action: WebhookAuditAction.Test, target: auditTarget(id), requestId });
    const delivery = await this.deliveries.findOneOrFail({ where: { eventId, subscriptionId: row.id }, relations: { event: true } });
    return toDeliveryDto(delivery);
  }

  async listDeliveries(principal: OrgPrincipal, id: string, q: ListWebhookDeliveriesQueryDto, at: PageLocation): Promise<WebhookDeliveryPageDto> {
    const row = await this.find(principal, id);
    const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
    const offset = q.offset ?? 0;
    const [rows, count] = await this.deliveries.findAndCount({
      where: { subscriptionId: row.id, ...(q.status ? { status: q.status } : {}) },
      relations: { event: true },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return toPage(rows.map(toDeliveryDto), count, q, at);
  }

  /** Replays a delivery now (whatever its status, unless an attempt is in flight); the event id stays the same. */
  async retryDelivery(principal: OrgPrincipal, id: string, deliveryId: string, requestId: string): Promise<WebhookDeliveryDto> {
    const row = await this.find(principal, id);
    if (!row.enabled) throw subscriptionDisabled();
    const delivery = UUID.test(deliveryId) ? await this.deliveries.findOne({ where: { id: deliveryId, subscriptionId: row.id } }) : null;
    if (!delivery) throw deliveryNotFound();
    const now = new Date();
    const reset = await this.deliveries
      .createQueryBuilder()
      .update()
      .set({ status: WebhookDeliveryStatus.Pending, nextAttemptAt: now, succeededAt: null })
      .where('id = :id AND status <> :sending', { id: delivery.id, sending: WebhookDeliveryStatus.Sending })
      .execute();
    if (!reset.affected) throw deliveryInFlight();
    await this.outbox.enqueue(`replay-${delivery.id}-${now.getTime()}`, { deliveryIds: [delivery.id] });
    await this.audit.record(principal, { action: WebhookAuditAction.RetryDelivery, target: auditTarget(id), requestId });
    return toDeliveryDto(await this.deliveries.findOneOrFail({ where: { id: delivery.id }, relations: { event: true } }));
  }

  private async find(principal: OrgPrincipal, id: string): Promise<WebhookSubscriptionEntity> {
    const row = UUID.test(id) ? await this.subscriptions.findOne({ where: { id, organizationId: principal.organizationId } }) : null;
    if (!row) throw subscriptionNotFound();
    return row;
  }

  /** http(s) only (https in production), no credentials in it, and a host the outbound guard lets through. */
  private async checkedUrl(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw urlInvalid('must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw urlInvalid('must be an http(s) URL');
    if (this.config.nodeEnv === 'production' && url.protocol !== 'https:') throw urlInvalid('must use https');
    if (url.username || url.password) throw urlInvalid('must not carry credentials');
    try {
      await this.outbound.assertPublicHost(url.hostname);
    } catch (err) {
      if (err instanceof OutboundBlockedError) throw urlNotAllowed(err.message);
      throw urlNotAllowed(`The host ${url.hostname} could not be resolved`);
    }
    return url.toString();
  }
}

export const auditTarget = (id: string) => `webhook:${id}`;

function toWebhookDto(row: WebhookSubscriptionEntity): WebhookDto {
  const graceOpen = row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > Date.now();
  return {
    id: row.id,
    url: row.url,
    events: row.eventTypes as WebhookEventType[],
    description: row.description,
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    previous_secret_expires_at: graceOpen ? (row.previousSecretExpiresAt as Date).toISOString() : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toDeliveryDto(row: WebhookDeliveryEntity & { event?: WebhookEventEntity }): WebhookDeliveryDto {
  return {
    id: row.id,
    event_id: row.eventId,
    event_type: row.event?.type as WebhookEventType,
    status: row.status,
    attempts: row.attempts,
    response_status: row.responseStatus,
    response_time_ms: row.responseTimeMs,
    last_error: row.lastError,
    next_attempt_at: row.status === WebhookDeliveryStatus.Pending ? iso(row.nextAttemptAt) : null,
    first_attempt_at: iso(row.firstAttemptAt),
    last_attempt_at: iso(row.lastAttemptAt),
    succeeded_at: iso(row.succeededAt),
    created_at: row.createdAt.toISOString(),
  };
}
