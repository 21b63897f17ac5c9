import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { DomainConnectContext, TemplateSupport } from '../domain-connect.enums';
import { IsOmittable } from '../../common/validation';

export class DomainQueryDto {
  @ApiPropertyOptional({ example: 'mail.example.com', description: 'Host name (IDN allowed); required' })
  @IsOmittable() @IsString() @MaxLength(253)
  domain?: string;
}

export class TemplateQueryDto extends DomainQueryDto {
  @ApiPropertyOptional({ enum: DomainConnectContext, enumName: 'DomainConnectContext' })
  @IsOmittable() @IsString() @MaxLength(16)
  context?: string;
}

export class DnsProviderDto {
  @ApiProperty({ example: 'domainconnect.vercel.com' }) endpoint: string;
  @ApiProperty({ example: 'Vercel' }) name: string;
}

export class DomainConnectCheckDto {
  @ApiProperty() supported: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'Cloudflare' }) provider_name: string | null;
  @ApiProperty({ type: [DnsProviderDto], description: 'The allow-list, when detection failed, so a UI can offer a manual choice' })
  available_providers: DnsProviderDto[];
}

export class TemplateSupportDto {
  @ApiProperty({ description: "Whether the domain's DNS provider supports Domain Connect" }) supported: boolean;
  @ApiProperty({ type: String, nullable: true }) provider_name: string | null;
  @ApiProperty({ example: 'email-verification-us' }) service_id: string;
  @ApiProperty({ enum: TemplateSupport, enumName: 'TemplateSupport' }) template_supported: TemplateSupport;
}

/** Validated by hand in the service so each rule answers with its documented message. */
export class ApplyUrlRequestDto {
  @ApiProperty({ enum: DomainConnectContext, enumName: 'DomainConnectContext' })
  @IsOmittable() @IsString() @MaxLength(16)
  context?: string;

  @ApiPropertyOptional({ description: 'The email integration (context email)' })
  @IsOmittable() @IsString() @MaxLength(64)
  integration_id?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The proxy record (context proxy)' })
  @IsOmittable() @IsString() @MaxLength(64)
  proxy_record_id?: string;

  @ApiPropertyOptional({ description: 'Where the DNS provider sends the user afterwards; must be under SITE_URL' })
  @IsOmittable() @IsString() @MaxLength(2048)
  redirect_uri?: string;

  @ApiPropertyOptional({ description: 'A provider from available_providers, when DNS detection failed' })
  @IsOmittable() @IsString() @MaxLength(256)
  provider_endpoint?: string;
}

export class ApplyUrlDto {
  @ApiProperty({ example: 'https://dash.cloudflare.com/domainconnect/v2/domainTemplates/providers/hub.example/services/reverse-proxy-us/apply?domain=example.com&host=e&target=x.proxy.hub.example&sig=...&key=_dcpubkeyv1' })
  url: string;
}

export class PublicKeyRecordsDto {
  @ApiProperty({ example: '_dcpubkeyv1.hub.example.com', description: 'Where to publish the TXT records' }) host: string;
  @ApiProperty({ example: '_dcpubkeyv1' }) key_id: string;
  @ApiProperty({ type: [String], example: ['p=1,a=RS256,d=MIIBIjANBgkqh...'] }) records: string[];
}
