import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ProxyRecordStatus } from '../domain-connect.enums';

export class CreateProxyRecordDto {
  @ApiProperty({ example: 'e.example.com', description: 'The host name to proxy (IDN allowed)' })
  @IsString() @MinLength(3) @MaxLength(253)
  domain: string;
}

export class ProxyRecordDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'e.example.com' }) domain: string;
  @ApiProperty({ example: '3f1c9a0b7d2e4c11.proxy.hub.example.com' }) target_cname: string;
  @ApiProperty({ enum: ProxyRecordStatus, enumName: 'ProxyRecordStatus' }) status: ProxyRecordStatus;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}
