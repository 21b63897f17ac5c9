import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { IsOmittable } from '../../common/validation';
import { PageDto } from '../../common/dto/pagination.dto';

@ApiSchema({ description: 'Body of a new project.' })
export class CreateProjectDto {
  @ApiProperty({ description: 'Name', minLength: 1, maxLength: 128, example: 'Web app' }) @IsString() @Length(1, 128) name: string;
}

@ApiSchema({ description: 'Changes to a project.' })
export class UpdateProjectDto {
  @ApiPropertyOptional({ description: 'New name', minLength: 1, maxLength: 128 }) @IsOmittable() @IsString() @Length(1, 128) name?: string;
}

@ApiSchema({ description: 'A project of an organization.' })
export class ProjectDto {
  @ApiProperty({ description: 'Id of the project', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'Its organization', format: 'uuid' }) organization_id: string;
  @ApiProperty({ description: 'Name' }) name: string;
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) created_at: string;
  @ApiProperty({ description: 'When it last changed (ISO 8601)', format: 'date-time' }) updated_at: string;
}

@ApiSchema({ description: "A page of an organization's projects." })
export class ProjectPageDto extends PageDto {
  @ApiProperty({ description: 'The items of this page', type: [ProjectDto] }) results: ProjectDto[];
}
