import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsDateString, IsEnum, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ScanCheck } from '../scan-findings';

@ApiSchema({ description: 'Body of an acknowledgement (repo and check) or exemption (repo alone).' })
export class CreateScanExemptionDto {
  @ApiProperty({ example: 'acme-org/legacy-api', description: "The repository, as owner/name, or the organization's login for its own findings (settings, Actions defaults)" })
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/, { message: "repo must be owner/name, or an organization's login" })
  @MaxLength(255)
  repo: string;
  @ApiPropertyOptional({ enum: ScanCheck, enumName: 'ScanCheck', description: "The finding acknowledged; omitted: the whole repository is exempt" })
  @IsOptional()
  @IsEnum(ScanCheck)
  check?: ScanCheck;
  @ApiProperty({ description: 'Why (kept in the audit log)', example: 'Decommissioned in Q3; tracked in SEC-412', minLength: 3, maxLength: 1000 }) @IsString() @MinLength(3) @MaxLength(1000) reason: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the findings count again (in the future, at most a year ahead)' }) @IsDateString() expiresAt: string;
}

@ApiSchema({ description: 'An acknowledgement or exemption.' })
export class ScanExemptionDto {
  @ApiProperty({ description: 'Id of the exemption', format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['acknowledgement', 'exemption'], description: 'acknowledgement: one finding (repo and check); exemption: the whole repository' }) kind: 'acknowledgement' | 'exemption';
  @ApiProperty({ description: 'The repository', example: 'acme-org/legacy-api' }) repo: string;
  @ApiProperty({ description: 'The check acknowledged, or null for a repository exemption', type: String, nullable: true, example: 'branch_protection' }) check: string | null;
  @ApiProperty({ description: 'Why' }) reason: string;
  @ApiProperty({ description: 'When it lapses', type: String, format: 'date-time' }) expiresAt: string;
  @ApiProperty({ description: 'False once expired' }) active: boolean;
  @ApiProperty({ description: 'Who created it (user id)', type: String, format: 'uuid', nullable: true }) createdBy: string | null;
  @ApiProperty({ description: 'When it was created (ISO 8601)', type: String, format: 'date-time' }) createdAt: string;
}

@ApiSchema({ description: "The organization's acknowledgements and exemptions." })
export class ScanExemptionListDto {
  @ApiProperty({ description: 'Acknowledgements and exemptions', type: [ScanExemptionDto] }) exemptions: ScanExemptionDto[];
}
