import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation';

/** Changes to the organization's scan baseline; omitted fields keep their current value. */
export class UpdateScanBaselineDto {
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() requireBranchProtection?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 6 }) @IsOmittable() @IsInt() @Min(0) @Max(6) minApprovingReviews?: number;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() requireCodeOwnerReviews?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() requireDismissStaleReviews?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() requireStatusChecks?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() requireStrictStatusChecks?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() requireEnforceAdmins?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() forbidForcePushes?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() forbidDeletions?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() requireLinearHistory?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() requireSignedCommits?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() requireSecurityPolicy?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() requireCodeowners?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 1000 }) @IsOmittable() @IsInt() @Min(0) @Max(1000) maxAdmins?: number;
  @ApiPropertyOptional({ description: 'Someone (a user or a team) must administer each repository' }) @IsOmittable() @IsBoolean() requireAdmin?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() allowOutsideCollaborators?: boolean;
  @ApiPropertyOptional({ description: 'Outside collaborators must not have write, maintain or admin permission' }) @IsOmittable() @IsBoolean() forbidOutsideCollaboratorWrite?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 3650, description: 'Days without a push after which a repository is stale; 0 turns the check off' }) @IsOmittable() @IsInt() @Min(0) @Max(3650) staleAfterDays?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 100000 }) @IsOmittable() @IsInt() @Min(0) @Max(100000) maxOpenVulnerabilityAlerts?: number;
  @ApiPropertyOptional({ description: 'Dependabot alerts must be enabled' }) @IsOmittable() @IsBoolean() requireDependabotAlerts?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 100000 }) @IsOmittable() @IsInt() @Min(0) @Max(100000) maxOpenSecretScanningAlerts?: number;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() skipArchived?: boolean;
}

export class ScanBaselineDto {
  @ApiProperty() requireBranchProtection: boolean;
  @ApiProperty() minApprovingReviews: number;
  @ApiProperty() requireCodeOwnerReviews: boolean;
  @ApiProperty() requireDismissStaleReviews: boolean;
  @ApiProperty() requireStatusChecks: boolean;
  @ApiProperty() requireStrictStatusChecks: boolean;
  @ApiProperty() requireEnforceAdmins: boolean;
  @ApiProperty() forbidForcePushes: boolean;
  @ApiProperty() forbidDeletions: boolean;
  @ApiProperty() requireLinearHistory: boolean;
  @ApiProperty() requireSignedCommits: boolean;
  @ApiProperty() requireSecurityPolicy: boolean;
  @ApiProperty() requireCodeowners: boolean;
  @ApiProperty() maxAdmins: number;
  @ApiProperty() requireAdmin: boolean;
  @ApiProperty() allowOutsideCollaborators: boolean;
  @ApiProperty() forbidOutsideCollaboratorWrite: boolean;
  @ApiProperty() staleAfterDays: number;
  @ApiProperty() maxOpenVulnerabilityAlerts: number;
  @ApiProperty() requireDependabotAlerts: boolean;
  @ApiProperty() maxOpenSecretScanningAlerts: number;
  @ApiProperty() skipArchived: boolean;
  @ApiProperty({ description: 'True while the organization uses the default baseline' }) isDefault: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt: string | null;
}
