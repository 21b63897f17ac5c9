import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz, Public } from '../auth/authz.decorator';
import { OrgPrincipal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { ApiScope, Permission } from '../auth/roles';
import { ErrorBodyDto } from '../common/dto/error-body.dto';
import { CreateGithubAppManifestDto, GithubAppManifestCallbackQueryDto, GithubAppManifestDto, GithubAppRegisteredDto } from './dto/app-manifest.dto';
import { GithubAppManifestService } from './github-app-manifest.service';

/** Creating the hub's GitHub App in one click (GitHub's App manifest flow), when no GITHUB_APP_* settings are given. */
@ApiTags('github app setup')
@Controller('github/app-manifest')
export class GithubAppManifestController {
  constructor(private readonly manifests: GithubAppManifestService) {}

  @Post()
  @Authz({ scope: ApiScope.OrganizationWrite, permission: Permission.ManageOrganization })
  @ApiOperation({
    summary: "The GitHub App manifest form for this hub (GitHub's manifest flow)",
    description:
      'Answers the manifest (permissions, events, webhook, setup and callback URLs of this hub) and a self-submitting form that posts it to ' +
      "GitHub's App registration page (github.com or GITHUB_WEB_URL for Enterprise Server), for a user or a GitHub organization. " +
      'GitHub then redirects to the callback, which stores the new App. 409 when the hub already has an App.',
  })
  @ApiCreatedResponse({ type: GithubAppManifestDto, description: 'The manifest, its single-use state and the form page' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'The hub already has a GitHub App (environment or an earlier manifest)' })
  createGithubAppManifest(@CurrentPrincipal() principal: OrgPrincipal, @Body() dto: CreateGithubAppManifestDto): Promise<GithubAppManifestDto> {
    return this.manifests.begin(principal, dto);
  }

  @Get('callback')
  @Public('GitHub App manifest callback, authenticated by its single-use state')
  @ApiOperation({
    summary: 'Where GitHub returns after creating the App from the manifest',
    description:
      "Exchanges GitHub's one-hour code (`POST /app-manifests/{code}/conversions`) and stores the App's id, slug, private key, client id and " +
      'secret and webhook secret, sealed. The hub uses them from then on wherever GITHUB_APP_* settings are absent.',
  })
  @ApiOkResponse({ type: GithubAppRegisteredDto, description: 'The App the hub now uses, and where to install it' })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Missing, used or expired state or code' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'The hub already has a GitHub App' })
  completeGithubAppManifest(@Query() query: GithubAppManifestCallbackQueryDto): Promise<GithubAppRegisteredDto> {
    return this.manifests.complete(query.code, query.state);
  }
}
