import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope } from '../auth/roles';
import { ApiFace } from '../common/api-face.decorator';
import { InfisicalErrorDto, InfisicalValidationErrorDto } from '../common/dto/error-body.dto';
import { AppConnectionOptionsService } from './app-connection-options.service';
import { AppConnectionsService } from './app-connections.service';
import { AppConnectionListDto, AppConnectionOptionsDto } from './dto/app-connection.dto';
import { ProjectFilterQueryDto } from './dto/github-connection-input.dto';

/** Infisical's app-independent app connection routes. */
@ApiTags('app connections')
@ApiFace('infisical')
@ApiUnprocessableEntityResponse({ description: 'ValidationFailure: the query does not match the schema (zod issues)', type: InfisicalValidationErrorDto })
@Controller('v1/app-connections')
export class AppConnectionsController {
  constructor(
    private readonly connections: AppConnectionsService,
    private readonly options: AppConnectionOptionsService,
  ) {}

  @Get()
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: "Lists every app's connections in the organization, optionally one project's (`projectId`), Infisical-shaped. Credentials are redacted.", summary: "Every app's connections in the organization (optionally one project's)" })
  @ApiOkResponse({ description: 'The app connections', type: AppConnectionListDto })
  @ApiNotFoundResponse({ description: 'Not a member of the organization', type: InfisicalErrorDto })
  async listAppConnections(@CurrentPrincipal() principal: OrgPrincipal, @Query() q: ProjectFilterQueryDto): Promise<AppConnectionListDto> {
    return { appConnections: await this.connections.list(principal, undefined, q.projectId) };
  }

  @Get('options')
  @Authz({ scope: ApiScope.IntegrationRead, org: 'request' })
  @ApiOperation({ description: 'Lists the apps and connection methods this hub supports, with the GitHub App slug to build setup URLs.', summary: 'The apps and methods this hub supports, with their setup URLs' })
  @ApiOkResponse({ description: 'The supported apps and methods', type: AppConnectionOptionsDto })
  @ApiNotFoundResponse({ description: 'Not a member of the organization', type: InfisicalErrorDto })
  listAppConnectionOptions(): AppConnectionOptionsDto {
    return this.options.list();
  }
}
