import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { ApiKeysService } from './api-keys.service';
import { CreatePersonalApiKeyDto, PersonalApiKeyPageDto, PersonalApiKeyWithValueDto } from './dto/personal-api-key.dto';
import { UuidParam } from '../common/params';
import { PageAt, pageOf, type PageLocation } from '../common/pagination';
import { LimitOffsetQueryDto } from '../common/dto/pagination.dto';

@ApiTags('personal_api_keys')
@ApiBadRequestResponse({ description: 'Invalid request', type: ErrorBodyDto })
@Controller('personal_api_keys')
export class PersonalApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @Authz({ scope: ApiScope.PersonalApiKeyRead })
  @ApiOperation({ description: "Lists the caller's active personal API keys: label, scopes, mask and times. Values are never shown again.", summary: "List the caller's active keys (never their values)" })
  @ApiOkResponse({ description: 'One page of keys, without their values', type: PersonalApiKeyPageDto })
  async listPersonalApiKeys(@CurrentPrincipal() principal: Principal, @Query() q: LimitOffsetQueryDto, @PageAt() at: PageLocation): Promise<PersonalApiKeyPageDto> {
    return pageOf(await this.apiKeys.list(principal), q, at);
  }

  @Post()
  @Authz({ scope: ApiScope.PersonalApiKeyWrite })
  @ApiOperation({ description: "Creates a personal API key for the calling user. A key can only create keys with scopes it holds itself, never above the user's role, optionally pinned to one organization and expiring. The value is in this response only; the hub keeps its SHA-256 hash.", summary: 'Create a key with at most the scopes the calling key holds' })
  @ApiCreatedResponse({ description: 'The key, with its value (shown only here)', type: PersonalApiKeyWithValueDto })
  createPersonalApiKey(@CurrentPrincipal() principal: Principal, @Body() dto: CreatePersonalApiKeyDto): Promise<PersonalApiKeyWithValueDto> {
    return this.apiKeys.create(principal, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authz({ scope: ApiScope.PersonalApiKeyWrite })
  @ApiOperation({ description: "Revokes one of the caller's keys; it answers 401 from then on.", summary: 'Revoke a key' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'Key not found', type: ErrorBodyDto })
  revokePersonalApiKey(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<void> {
    return this.apiKeys.revoke(principal, id);
  }

  @Post(':id/roll')
  @HttpCode(200)
  @Authz({ scope: ApiScope.PersonalApiKeyWrite })
  @ApiOperation({ description: "Replaces a key's value, keeping its label, scopes and pin; the old value stops working at once.", summary: 'Replace a key with a new value; the old value stops working' })
  @ApiOkResponse({ description: 'The key, with its new value (shown only here)', type: PersonalApiKeyWithValueDto })
  @ApiNotFoundResponse({ description: 'Key not found', type: ErrorBodyDto })
  rollPersonalApiKey(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string): Promise<PersonalApiKeyWithValueDto> {
    return this.apiKeys.roll(principal, id);
  }
}
