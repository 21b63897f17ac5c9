import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
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
  @ApiProperty({ description: 'Every repository needs at least one admin' }) requireAdmin: boolean;
  @ApiProperty({ description: 'Whether outside collaborators are allowed' }) allowOutsideCollaborators: boolean;
  @ApiProperty({ description: 'Outside collaborators may not write' }) forbidOutsideCollaboratorWrite: boolean;
  @ApiProperty({ description: 'Days without a push after which a repository is stale' }) staleAfterDays: number;
  @ApiProperty({ description: 'Most open Dependabot alerts allowed' }) maxOpenVulnerabilityAlerts: number;
  @ApiProperty({ description: 'Dependabot alerts must be on' }) requireDependabotAlerts: boolean;
  @ApiProperty({ description: 'Most open secret scanning alerts allowed' }) maxOpenSecretScanningAlerts: number;
  @ApiProperty({ description: 'Archived repositories are not checked' }) skipArchived: boolean;
  @ApiProperty({ description: 'True while the organization uses the default baseline' }) isDefault: boolean;
  @ApiProperty({ description: 'When it was last edited, or null for the default', type: String, format: 'date-time', nullable: true }) updatedAt: string | null;
}
