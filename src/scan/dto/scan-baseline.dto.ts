import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, Max, Min } from 'class-validator';
import type { BasePermission } from '../org-settings';
import { IsOmittable } from '../../common/validation';

/** Changes to the organization's scan baseline; omitted fields keep their current value. */
@ApiSchema({ description: "Changes to the organization's scan baseline; omitted fields keep their current value." })
export class UpdateScanBaselineDto {
  @ApiPropertyOptional({ description: 'The default branch must be protected' }) @IsOmittable() @IsBoolean() requireBranchProtection?: boolean;
  @ApiPropertyOptional({ description: 'Approving reviews required to merge', minimum: 0, maximum: 6 }) @IsOmittable() @IsInt() @Min(0) @Max(6) minApprovingReviews?: number;
  @ApiPropertyOptional({ description: 'Code owner reviews required' }) @IsOmittable() @IsBoolean() requireCodeOwnerReviews?: boolean;
  @ApiPropertyOptional({ description: 'New commits dismiss approvals' }) @IsOmittable() @IsBoolean() requireDismissStaleReviews?: boolean;
  @ApiPropertyOptional({ description: 'Status checks required to merge' }) @IsOmittable() @IsBoolean() requireStatusChecks?: boolean;
  @ApiPropertyOptional({ description: 'Branches must be up to date before merging' }) @IsOmittable() @IsBoolean() requireStrictStatusChecks?: boolean;
  @ApiPropertyOptional({ description: 'Protection applies to admins too' }) @IsOmittable() @IsBoolean() requireEnforceAdmins?: boolean;
  @ApiPropertyOptional({ description: 'No force pushes to the default branch' }) @IsOmittable() @IsBoolean() forbidForcePushes?: boolean;
  @ApiPropertyOptional({ description: 'The default branch cannot be deleted' }) @IsOmittable() @IsBoolean() forbidDeletions?: boolean;
  @ApiPropertyOptional({ description: 'Linear history required' }) @IsOmittable() @IsBoolean() requireLinearHistory?: boolean;
  @ApiPropertyOptional({ description: 'Signed commits required' }) @IsOmittable() @IsBoolean() requireSignedCommits?: boolean;
  @ApiPropertyOptional({ description: 'A SECURITY.md is required' }) @IsOmittable() @IsBoolean() requireSecurityPolicy?: boolean;
  @ApiPropertyOptional({ description: 'A CODEOWNERS file is required' }) @IsOmittable() @IsBoolean() requireCodeowners?: boolean;
  @ApiPropertyOptional({ description: 'Most admins a repository may have', minimum: 0, maximum: 1000 }) @IsOmittable() @IsInt() @Min(0) @Max(1000) maxAdmins?: number;
  @ApiPropertyOptional({ description: 'Someone (a user or a team) must administer each repository' }) @IsOmittable() @IsBoolean() requireAdmin?: boolean;
  @ApiPropertyOptional({ description: 'Whether outside collaborators are allowed' }) @IsOmittable() @IsBoolean() allowOutsideCollaborators?: boolean;
  @ApiPropertyOptional({ description: 'Outside collaborators must not have write, maintain or admin permission' }) @IsOmittable() @IsBoolean() forbidOutsideCollaboratorWrite?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 3650, description: 'Days without a push after which a repository is stale; 0 turns the check off' }) @IsOmittable() @IsInt() @Min(0) @Max(3650) staleAfterDays?: number;
  @ApiPropertyOptional({ description: 'Most open Dependabot alerts allowed', minimum: 0, maximum: 100000 }) @IsOmittable() @IsInt() @Min(0) @Max(100000) maxOpenVulnerabilityAlerts?: number;
  @ApiPropertyOptional({ description: 'Dependabot alerts must be enabled' }) @IsOmittable() @IsBoolean() requireDependabotAlerts?: boolean;
  @ApiPropertyOptional({ description: 'Most open secret scanning alerts allowed', minimum: 0, maximum: 100000 }) @IsOmittable() @IsInt() @Min(0) @Max(100000) maxOpenSecretScanningAlerts?: number;
  @ApiPropertyOptional({ description: 'Archived repositories are not checked' }) @IsOmittable() @IsBoolean() skipArchived?: boolean;
  @ApiPropertyOptional({ description: 'Active rulesets on the default branch must have no bypass actors' }) @IsOmittable() @IsBoolean() forbidRulesetBypass?: boolean;
  @ApiPropertyOptional({ description: 'The default branch must require conversations to be resolved before merging' }) @IsOmittable() @IsBoolean() requireConversationResolution?: boolean;
  @ApiPropertyOptional({ description: 'The default branch must require the most recent push to be approved by someone other than its author' }) @IsOmittable() @IsBoolean() requireLastPushApproval?: boolean;
  @ApiPropertyOptional({ description: 'The default branch must restrict who may push (push restrictions, or a ruleset restricting updates)' }) @IsOmittable() @IsBoolean() requirePushRestrictions?: boolean;
  @ApiPropertyOptional({ description: 'Release branches (release*) must be protected by a branch protection rule or an active ruleset' }) @IsOmittable() @IsBoolean() requireReleaseBranchProtection?: boolean;
  @ApiPropertyOptional({ description: 'Deploy keys must be read-only' }) @IsOmittable() @IsBoolean() forbidWriteDeployKeys?: boolean;
  @ApiPropertyOptional({ description: 'Secret scanning must be enabled' }) @IsOmittable() @IsBoolean() requireSecretScanning?: boolean;
  @ApiPropertyOptional({ description: 'Secret scanning push protection must be enabled' }) @IsOmittable() @IsBoolean() requirePushProtection?: boolean;
  @ApiPropertyOptional({ description: 'Repository webhooks must have a secret, an https URL and TLS verification (read when the installation is granted Webhooks: read)' }) @IsOmittable() @IsBoolean() forbidInsecureWebhooks?: boolean;
  @ApiPropertyOptional({ description: 'Workflows must not check out the untrusted head in pull_request_target/workflow_run, nor interpolate github.event text into scripts' }) @IsOmittable() @IsBoolean() forbidDangerousWorkflows?: boolean;
  @ApiPropertyOptional({ description: 'Actions from other repositories must be pinned by a full commit SHA' }) @IsOmittable() @IsBoolean() requirePinnedActions?: boolean;
  @ApiPropertyOptional({ description: 'Organization: two-factor authentication must be required' }) @IsOmittable() @IsBoolean() requireTwoFactor?: boolean;
  @ApiPropertyOptional({ description: 'Organization: members must not be able to create public repositories' }) @IsOmittable() @IsBoolean() forbidMemberPublicRepositories?: boolean;
  @ApiPropertyOptional({ description: 'Organization: members must not be able to fork private repositories' }) @IsOmittable() @IsBoolean() forbidPrivateForking?: boolean;
  @ApiPropertyOptional({ description: "Organization: workflows' GITHUB_TOKEN must be read-only by default" }) @IsOmittable() @IsBoolean() requireReadOnlyWorkflowToken?: boolean;
  @ApiPropertyOptional({ description: 'Organization: GitHub Actions must not be able to create or approve pull requests' }) @IsOmittable() @IsBoolean() forbidActionsApprovingPullRequests?: boolean;
  @ApiPropertyOptional({ description: 'Organization: allowed actions must not be "all"' }) @IsOmittable() @IsBoolean() restrictAllowedActions?: boolean;
  @ApiPropertyOptional({ enum: ['none', 'read', 'write', 'admin'], description: 'Organization: the highest base permission members may have on every repository' }) @IsOmittable() @IsIn(['none', 'read', 'write', 'admin']) maxBasePermission?: BasePermission;
  @ApiPropertyOptional({ minimum: 0, maximum: 1000, description: 'Organization: the most owners allowed; 0 turns the check off' }) @IsOmittable() @IsInt() @Min(0) @Max(1000) maxOwners?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 1000, description: 'Organization: the fewest owners allowed; 0 turns the check off' }) @IsOmittable() @IsInt() @Min(0) @Max(1000) minOwners?: number;
}

@ApiSchema({ description: 'The rules every scanned repository is checked against.' })
export class ScanBaselineDto {
  @ApiProperty({ description: 'The default branch must be protected' }) requireBranchProtection: boolean;
  @ApiProperty({ description: 'Approving reviews required to merge' }) minApprovingReviews: number;
  @ApiProperty({ description: 'Code owner reviews required' }) requireCodeOwnerReviews: boolean;
  @ApiProperty({ description: 'New commits dismiss approvals' }) requireDismissStaleReviews: boolean;
  @ApiProperty({ description: 'Status checks required to merge' }) requireStatusChecks: boolean;
  @ApiProperty({ description: 'Branches must be up to date before merging' }) requireStrictStatusChecks: boolean;
  @ApiProperty({ description: 'Protection applies to admins too' }) requireEnforceAdmins: boolean;
  @ApiProperty({ description: 'No force pushes to the default branch' }) forbidForcePushes: boolean;
  @ApiProperty({ description: 'The default branch cannot be deleted' }) forbidDeletions: boolean;
  @ApiProperty({ description: 'Linear history required' }) requireLinearHistory: boolean;
  @ApiProperty({ description: 'Signed commits required' }) requireSignedCommits: boolean;
  @ApiProperty({ description: 'A SECURITY.md is required' }) requireSecurityPolicy: boolean;
  @ApiProperty({ description: 'A CODEOWNERS file is required' }) requireCodeowners: boolean;
  @ApiProperty({ description: 'Most admins a repository may have' }) maxAdmins: number;
  @ApiProperty({ description: 'Someone (a user or a team) must administer each repository' }) requireAdmin: boolean;
  @ApiProperty({ description: 'Whether outside collaborators are allowed' }) allowOutsideCollaborators: boolean;
  @ApiProperty({ description: 'Outside collaborators must not have write, maintain or admin permission' }) forbidOutsideCollaboratorWrite: boolean;
  @ApiProperty({ description: 'Days without a push after which a repository is stale; 0 turns the check off' }) staleAfterDays: number;
  @ApiProperty({ description: 'Most open Dependabot alerts allowed' }) maxOpenVulnerabilityAlerts: number;
  @ApiProperty({ description: 'Dependabot alerts must be enabled' }) requireDependabotAlerts: boolean;
  @ApiProperty({ description: 'Most open secret scanning alerts allowed' }) maxOpenSecretScanningAlerts: number;
  @ApiProperty({ description: 'Archived repositories are not checked' }) skipArchived: boolean;
  @ApiProperty({ description: 'Active rulesets on the default branch must have no bypass actors' }) forbidRulesetBypass: boolean;
  @ApiProperty({ description: 'The default branch must require conversations to be resolved before merging' }) requireConversationResolution: boolean;
  @ApiProperty({ description: 'The default branch must require the most recent push to be approved by someone other than its author' }) requireLastPushApproval: boolean;
  @ApiProperty({ description: 'The default branch must restrict who may push (push restrictions, or a ruleset restricting updates)' }) requirePushRestrictions: boolean;
  @ApiProperty({ description: 'Release branches (release*) must be protected by a branch protection rule or an active ruleset' }) requireReleaseBranchProtection: boolean;
  @ApiProperty({ description: 'Deploy keys must be read-only' }) forbidWriteDeployKeys: boolean;
  @ApiProperty({ description: 'Secret scanning must be enabled' }) requireSecretScanning: boolean;
  @ApiProperty({ description: 'Secret scanning push protection must be enabled' }) requirePushProtection: boolean;
  @ApiProperty({ description: 'Repository webhooks must have a secret, an https URL and TLS verification (read when the installation is granted Webhooks: read)' }) forbidInsecureWebhooks: boolean;
  @ApiProperty({ description: 'Workflows must not check out the untrusted head in pull_request_target/workflow_run, nor interpolate github.event text into scripts' }) forbidDangerousWorkflows: boolean;
  @ApiProperty({ description: 'Actions from other repositories must be pinned by a full commit SHA' }) requirePinnedActions: boolean;
  @ApiProperty({ description: 'Organization: two-factor authentication must be required' }) requireTwoFactor: boolean;
  @ApiProperty({ description: 'Organization: members must not be able to create public repositories' }) forbidMemberPublicRepositories: boolean;
  @ApiProperty({ description: 'Organization: members must not be able to fork private repositories' }) forbidPrivateForking: boolean;
  @ApiProperty({ description: "Organization: workflows' GITHUB_TOKEN must be read-only by default" }) requireReadOnlyWorkflowToken: boolean;
  @ApiProperty({ description: 'Organization: GitHub Actions must not be able to create or approve pull requests' }) forbidActionsApprovingPullRequests: boolean;
  @ApiProperty({ description: 'Organization: allowed actions must not be "all"' }) restrictAllowedActions: boolean;
  @ApiProperty({ description: 'Organization: the highest base permission members may have on every repository', enum: ['none', 'read', 'write', 'admin'] }) maxBasePermission: BasePermission;
  @ApiProperty({ description: 'Organization: the most owners allowed; 0 turns the check off' }) maxOwners: number;
  @ApiProperty({ description: 'Organization: the fewest owners allowed; 0 turns the check off' }) minOwners: number;
  @ApiProperty({ description: 'True while the organization uses the default baseline' }) isDefault: boolean;
  @ApiProperty({ description: 'When it was last edited, or null for the default', type: String, format: 'date-time', nullable: true }) updatedAt: string | null;
}
