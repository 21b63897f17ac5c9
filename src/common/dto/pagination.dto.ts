import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '../validation';

/** The page size of the hub's own lists when `limit` is omitted, and the largest one accepted. */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

@ApiSchema({ description: "Paging of the hub's own lists: `limit` and `offset`." })
export class LimitOffsetQueryDto {
  @ApiPropertyOptional({ description: 'Page size', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'Items to skip', minimum: 0, maximum: 1_000_000, default: 0 })
  @IsOmittable() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000)
  offset?: number;
}

/** The envelope of every list of the hub's own face: `{count, limit, offset, next, results}`. */
@ApiSchema({ description: "A page of one of the hub's own lists." })
export class PageDto {
  @ApiProperty({ description: 'Total number of items across all pages', example: 250 }) count: number;
  @ApiProperty({ description: 'Page size used', example: 100 }) limit: number;
  @ApiProperty({ description: 'Index of the first item of this page', example: 0 }) offset: number;
  @ApiProperty({ description: 'Absolute URL of the next page, or null on the last one', type: String, nullable: true, format: 'uri', example: 'https://hub.example.com/api/organizations?limit=100&offset=100' })
  next: string | null;
}
