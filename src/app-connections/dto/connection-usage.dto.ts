import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { RepositorySelection, TokenNarrowingDto, TokenRepositoryDto } from '../../github/dto/broker.dto';

/** The same narrowing as the broker's token request. */
@ApiSchema({ description: "How to narrow the connection's token: the broker's fields (all optional)." })
export class CreateConnectionAccessTokenDto extends TokenNarrowingDto {}

@ApiSchema({ description: "An installation token for a connection's installation." })
export class ConnectionAccessTokenDto {
  @ApiProperty({ description: 'The installation access token (`ghs_...`)', example: 'ghs_16C7e42F292c6912E7710c838347Ae178B4a' }) token: string;
  @ApiProperty({ description: 'When it expires (ISO 8601)', format: 'date-time' }) expires_at: string;
  @ApiProperty({ description: 'Permissions as GitHub names them, e.g. `{"contents": "read"}`', type: 'object', additionalProperties: { type: 'string' }, example: { contents: 'read' } }) permissions: Record<string, string>;
  @ApiProperty({ description: "Whether the installation reaches all of the account's repositories or selected ones", enum: RepositorySelection, enumName: 'RepositorySelection' }) repository_selection: string;
  @ApiPropertyOptional({ description: 'The repositories the token reaches (when narrowed)', type: [TokenRepositoryDto] }) repositories?: TokenRepositoryDto[];
}

@ApiSchema({ description: "The repositories a connection's installation reaches." })
export class ConnectionRepositoriesDto {
  @ApiProperty({ description: 'The repositories', type: [TokenRepositoryDto] }) repositories: TokenRepositoryDto[];
}
