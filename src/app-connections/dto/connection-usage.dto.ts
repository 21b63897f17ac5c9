import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RepositorySelection, TokenNarrowingDto, TokenRepositoryDto } from '../../github/dto/broker.dto';

/** The same narrowing as the broker's token request. */
export class CreateConnectionAccessTokenDto extends TokenNarrowingDto {}

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
