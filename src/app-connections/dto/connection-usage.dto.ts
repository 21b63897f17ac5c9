import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsInt, IsObject, IsOptional, IsString } from 'class-validator';
import { RepositorySelection, TokenRepositoryDto } from '../../github/dto/broker.dto';

export class CreateConnectionAccessTokenDto {
  @ApiPropertyOptional({ type: [String], description: 'Repository names (at most 500 with repository_ids)' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  repositories?: string[];
  @ApiPropertyOptional({ type: [Number] }) @IsOptional() @IsArray() @IsInt({ each: true }) repository_ids?: number[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string', enum: ['read', 'write', 'admin'] }, example: { contents: 'read' } })
  @IsOptional()
  @IsObject()
  permissions?: Record<string, string>;
}

export class ConnectionAccessTokenDto {
  @ApiProperty({ example: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a' }) token: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { contents: 'read' } }) permissions: Record<string, string>;
  @ApiProperty({ enum: RepositorySelection, enumName: 'RepositorySelection' }) repository_selection: string;
  @ApiPropertyOptional({ type: [TokenRepositoryDto] }) repositories?: TokenRepositoryDto[];
}

export class ConnectionRepositoriesDto {
  @ApiProperty({ type: [TokenRepositoryDto] }) repositories: TokenRepositoryDto[];
}
