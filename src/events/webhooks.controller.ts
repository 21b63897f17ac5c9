import { ApiUpstream } from '../common/api-upstream.decorator';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestId } from '../audit/request-id.decorator';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, OrgRole } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { CreatedWebhookDto, CreateWebhookDto, RolledWebhookSecretDto, RollWebhookSecretDto, UpdateWebhookDto, WebhookDto, WebhookListDto } from './dto/webhook.dto';
import { ListWebhookDeliveriesQueryDto, WebhookDeliveryDto, WebhookDeliveryPageDto } from './dto/webhook-delivery.dto';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';
import { PageAt, type PageLocation } from '../common/pagination';
import { LimitOffsetQueryDto } from '../common/dto/pagination.dto';

@ApiTags('webhooks')
@ApiBadRequestResponse({ description: 'Invalid request, or a URL the hub may not call', type: ErrorBodyDto })
@ApiNotFoundResponse({ description: 'Organization, subscription or delivery not found', type: ErrorBodyDto })
@Controller('organizations/:org_id/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookSubscriptionsService) {}

  @Post()
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Subscribes an HTTPS endpoint to events of the organization. Deliveries follow Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The URL is checked by the outbound guard. The signing secret is in this response only.', summary: 'Subscribe an endpoint to events; the signing secret is in this response only' })
  @ApiCreatedResponse({ description: 'The subscription and its signing secret (shown only here)', type: CreatedWebhookDto })
  createWebhook(@CurrentPrincipal() principal: OrgPrincipal, @Param('org_id', ParseUUIDPipe) _orgId: string, @Body() dto: CreateWebhookDto, @RequestId() requestId: string): Promise<CreatedWebhookDto> {
    return this.webhooks.create(principal, dto, requestId);
  }

  @Get()
  @Authz({ scope: ApiScope.IntegrationRead, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: "Lists the organization's webhook subscriptions. Signing secrets are shown only on create and roll.", summary: "The organization's webhook subscriptions (secrets are never shown again)" })
  @ApiOkResponse({ description: 'The webhook subscriptions', type: WebhookListDto })
  listWebhooks(@CurrentPrincipal() principal: OrgPrincipal, @Param('org_id', ParseUUIDPipe) _orgId: string, @Query() q: LimitOffsetQueryDto, @PageAt() at: PageLocation): Promise<WebhookListDto> {
    return this.webhooks.list(principal, q, at);
  }

  @Get(':id')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Returns one webhook subscription, without its secret.', summary: 'One webhook subscription' })
  @ApiOkResponse({ description: 'The subscription', type: WebhookDto })
  getWebhook(@CurrentPrincipal() principal: OrgPrincipal, @Param('org_id', ParseUUIDPipe) _orgId: string, @Param('id') id: string): Promise<WebhookDto> {
    return this.webhooks.get(principal, id);
  }

  @Patch(':id')
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: "Changes a subscription's URL, events, description or enabled state. Disabling stops new deliveries; pending ones wait.", summary: 'Change the URL, events, description or enabled state' })
  @ApiOkResponse({ description: 'The subscription after the change', type: WebhookDto })
  updateWebhook(
    @CurrentPrincipal() principal: OrgPrincipal,
    @Param('org_id', ParseUUIDPipe) _orgId: string,
    @Param('id') id: string,
    @Body() dto: UpdateWebhookDto,
    @RequestId() requestId: string,
  ): Promise<WebhookDto> {
    return this.webhooks.update(principal, id, dto, requestId);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Deletes a subscription and its delivery log; pending deliveries are dropped.', summary: 'Delete a subscription and its delivery log' })
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteWebhook(@CurrentPrincipal() principal: OrgPrincipal, @Param('org_id', ParseUUIDPipe) _orgId: string, @Param('id') id: string, @RequestId() requestId: string): Promise<void> {
    return this.webhooks.remove(principal, id, requestId);
  }

  @Post(':id/roll-secret')
  @HttpCode(200)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Replaces the signing secret. For the grace period the old secret keeps signing beside the new one (two signatures in `webhook-signature`), so receivers can switch without losing deliveries.', summary: 'Replace the signing secret; the old one keeps signing beside it for the grace period' })
  @ApiOkResponse({ description: 'The new signing secret (shown only here)', type: RolledWebhookSecretDto })
  rollWebhookSecret(
    @CurrentPrincipal() principal: OrgPrincipal,
    @Param('org_id', ParseUUIDPipe) _orgId: string,
    @Param('id') id: string,
    @Body() dto: RollWebhookSecretDto,
    @RequestId() requestId: string,
  ): Promise<RolledWebhookSecretDto> {
    return this.webhooks.rollSecret(principal, id, dto, requestId);
  }

  @Post(':id/test')
  @HttpCode(202)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Queues a `webhook.test` event to this subscription only, to check the receiver end to end. 409 when the subscription is disabled.', summary: 'Send a webhook.test event to this subscription' })
  @ApiAcceptedResponse({ description: 'The test delivery is queued', type: WebhookDeliveryDto })
  @ApiConflictResponse({ description: 'The subscription is disabled', type: ErrorBodyDto })
  @ApiUpstream()
  testWebhook(@CurrentPrincipal() principal: OrgPrincipal, @Param('org_id', ParseUUIDPipe) _orgId: string, @Param('id') id: string, @RequestId() requestId: string): Promise<WebhookDeliveryDto> {
    return this.webhooks.test(principal, id, requestId);
  }

  @Get(':id/deliveries')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: "The subscription's delivery log, newest first: status, attempts, the last error and when the next attempt is due; filter with `status`, paged with `limit`/`offset`.", summary: 'The delivery log, newest first: status, attempts, last response and next attempt' })
  @ApiOkResponse({ description: 'One page of deliveries', type: WebhookDeliveryPageDto })
  listWebhookDeliveries(
    @CurrentPrincipal() principal: OrgPrincipal,
    @Param('org_id', ParseUUIDPipe) _orgId: string,
    @Param('id') id: string,
    @Query() q: ListWebhookDeliveriesQueryDto,
    @PageAt() at: PageLocation,
  ): Promise<WebhookDeliveryPageDto> {
    return this.webhooks.listDeliveries(principal, id, q, at);
  }

  @Post(':id/deliveries/:delivery_id/retry')
  @HttpCode(202)
  @Authz({ scope: ApiScope.IntegrationWrite, org: 'org_param', role: OrgRole.Admin })
  @ApiOperation({ description: 'Queues the delivery again now, with the same event id (`webhook-id`) so receivers can deduplicate. 409 while it is being attempted or when the subscription is disabled.', summary: 'Send a delivery again now (same event id)' })
  @ApiAcceptedResponse({ description: 'The delivery is queued', type: WebhookDeliveryDto })
  @ApiConflictResponse({ description: 'The subscription is disabled, or an attempt is in flight', type: ErrorBodyDto })
  @ApiUpstream()
  retryWebhookDelivery(
    @CurrentPrincipal() principal: OrgPrincipal,
    @Param('org_id', ParseUUIDPipe) _orgId: string,
    @Param('id') id: string,
    @Param('delivery_id') deliveryId: string,
    @RequestId() requestId: string,
  ): Promise<WebhookDeliveryDto> {
    return this.webhooks.retryDelivery(principal, id, deliveryId, requestId);
  }
}
