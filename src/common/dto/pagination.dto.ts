import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { IsOmittable } from '../validation';

@ApiSchema({ description: "Paging of the hub's own lists: `limit` and `offset`." })
export class LimitOffsetQueryDto {
  @ApiPropertyOptional({ description: 'Page size', minimum: 1, maximum: 100, default: 100 })
  @IsOmittable() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Items to skip', minimum: 0, maximum: 1_000_000, default: 0 })
  @IsOmittable() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000)
  offset?: number;
}
