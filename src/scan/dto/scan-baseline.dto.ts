import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** Changes to the organization's scan baseline; omitted fields keep their current value. */
export class UpdateScanBaselineDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireBranchProtection?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 6 }) @IsOptional() @IsInt() @Min(0) @Max(6) minApprovingReviews?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireCodeOwnerReviews?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireDismissStaleReviews?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireStatusChecks?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireStrictStatusChecks?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireEnforceAdmins?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() forbidForcePushes?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() forbidDeletions?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireLinearHistory?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireSignedCommits?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireSecurityPolicy?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireCodeowners?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 1000 }) @IsOptional() @IsInt() @Min(0) @Max(1000) maxAdmins?: number;
  @ApiPropertyOptional({ description: 'Someone (a user or a team) must administer each repository' }) @IsOptional() @IsBoolean() requireAdmin?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() allowOutsideCollaborators?: boolean;
  @ApiPropertyOptional({ description: 'Outside collaborators must not have write, maintain or admin permission' }) @IsOptional() @IsBoolean() forbidOutsideCollaboratorWrite?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 3650, description: 'Days without a push after which a repository is stale; 0 turns the check off' }) @IsOptional() @IsInt() @Min(0) @Max(3650) staleAfterDays?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 100000 }) @IsOptional() @IsInt() @Min(0) @Max(100000) maxOpenVulnerabilityAlerts?: number;
  @ApiPropertyOptional({ description: 'Dependabot alerts must be enabled' }) @IsOptional() @IsBoolean() requireDependabotAlerts?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 100000 }) @IsOptional() @IsInt() @Min(0) @Max(100000) maxOpenSecretScanningAlerts?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() skipArchived?: boolean;
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
