import { ApiUpstream } from '../common/api-upstream.decorator';
import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../auth/authz.decorator';
import type { RequestWithRawBody } from '../common/body-parser';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { WebhookAckDto, WebhookOutcomeKind } from './dto/webhook.dto';
import { GithubWebhooksService } from './github-webhooks.service';

@ApiTags('github webhooks')
@Controller()
export class GithubWebhooksController {
  constructor(private readonly webhooks: GithubWebhooksService) {}

  @Post('webhooks/github')
  @HttpCode(202)
  @Public('Authenticated by its X-Hub-Signature-256 HMAC', { rawBody: true })
  @ApiOperation({ description: "Receives the GitHub App's webhook deliveries. The `X-Hub-Signature-256` HMAC is verified with `GITHUB_WEBHOOK_SECRET`, deliveries are deduplicated by `X-GitHub-Delivery` and processed on the queue (installation suspended/deleted, repositories changed, ...). Public: authenticated by the signature.", summary: 'GitHub App webhook deliveries: verified, deduplicated, processed on the queue' })
  @ApiAcceptedResponse({ description: 'Accepted for processing', type: WebhookAckDto })
  @ApiUnauthorizedResponse({ description: 'Missing or invalid signature', type: ErrorBodyDto })
  @ApiBadRequestResponse({ description: 'Missing delivery headers or a body that is not JSON', type: ErrorBodyDto })
  @ApiUpstream()
  async receiveGithubWebhook(@Req() request: RequestWithRawBody): Promise<WebhookAckDto> {
    return { status: (await this.webhooks.receive(request.rawBody, request.headers)) as WebhookOutcomeKind };
  }
}
