import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ProxyRecordStatus } from '../domain-connect.enums';
import { PageDto } from '../../common/dto/pagination.dto';

@ApiSchema({ description: 'Body of a new reverse proxy record: the domain to point at the hub.' })
export class CreateProxyRecordDto {
  @ApiProperty({ example: 'e.example.com', description: 'The host name to proxy (IDN allowed)' })
  @IsString() @MinLength(3) @MaxLength(253)
  domain: string;
}

@ApiSchema({ description: 'A reverse proxy record: a custom domain and the CNAME target it must point to.' })
export class ProxyRecordDto {
  @ApiProperty({ description: 'Id of the proxy record', format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The custom domain', example: 'e.example.com' }) domain: string;
  @ApiProperty({ description: 'The CNAME target the domain must point to (generated)', example: '3f1c9a0b7d2e4c11.proxy.hub.example.com' }) target_cname: string;
  @ApiProperty({ description: "Whether the domain's DNS points at the target yet", enum: ProxyRecordStatus, enumName: 'ProxyRecordStatus' }) status: ProxyRecordStatus;
  @ApiProperty({ description: 'When it was created (ISO 8601)', format: 'date-time' }) created_at: string;
}

@ApiSchema({ description: "A page of the organization's proxy records." })
export class ProxyRecordPageDto extends PageDto {
  @ApiProperty({ description: 'The items of this page', type: [ProxyRecordDto] }) results: ProxyRecordDto[];
}
