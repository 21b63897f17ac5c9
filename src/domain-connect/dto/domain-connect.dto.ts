import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { DomainConnectContext, TemplateSupport } from '../domain-connect.enums';
import { IsOmittable } from '../../common/validation';

@ApiSchema({ description: 'The domain a Domain Connect check is about.' })
export class DomainQueryDto {
  @ApiPropertyOptional({ example: 'mail.example.com', description: 'Host name (IDN allowed); required' })
  @IsOmittable() @IsString() @MaxLength(253)
  domain?: string;
}

@ApiSchema({ description: 'The domain and the context whose template is checked.' })
export class TemplateQueryDto extends DomainQueryDto {
  @ApiPropertyOptional({ description: 'Which template: email sender verification or reverse proxy', enum: DomainConnectContext, enumName: 'DomainConnectContext' })
  @IsOmittable() @IsString() @MaxLength(16)
  context?: string;
}

@ApiSchema({ description: "The domain's DNS provider as Domain Connect discovery found it." })
export class DnsProviderDto {
  @ApiProperty({ description: "The provider's Domain Connect endpoint host", example: 'domainconnect.vercel.com' }) endpoint: string;
  @ApiProperty({ description: "The DNS provider's name", example: 'Vercel' }) name: string;
}

@ApiSchema({ description: "Whether the domain's DNS provider supports Domain Connect." })
export class DomainConnectCheckDto {
  @ApiProperty({ description: 'Whether the DNS provider supports Domain Connect' }) supported: boolean;
  @ApiProperty({ description: 'The DNS provider, when discovered', type: String, nullable: true, example: 'Cloudflare' }) provider_name: string | null;
  @ApiProperty({ type: [DnsProviderDto], description: 'The allow-list, when detection failed, so a UI can offer a manual choice' })
  available_providers: DnsProviderDto[];
}

@ApiSchema({ description: "Whether the domain's DNS provider hosts the hub's template for a context." })
export class TemplateSupportDto {
  @ApiProperty({ description: "Whether the domain's DNS provider supports Domain Connect" }) supported: boolean;
  @ApiProperty({ description: 'The DNS provider, when discovered', type: String, nullable: true }) provider_name: string | null;
  @ApiProperty({ description: "The hub's template (service id) for the context", example: 'email-verification-us' }) service_id: string;
  @ApiProperty({ description: 'Whether the provider hosts that template', enum: TemplateSupport, enumName: 'TemplateSupport' }) template_supported: TemplateSupport;
}

/** Validated by hand in the service so each rule answers with its documented message. */
@ApiSchema({ description: 'Validated by hand in the service so each rule answers with its documented message.' })
export class ApplyUrlRequestDto {
  @ApiProperty({ description: 'Which template to apply: email sender verification or reverse proxy', enum: DomainConnectContext, enumName: 'DomainConnectContext' })
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

@ApiSchema({ description: 'A signed Domain Connect apply URL.' })
export class ApplyUrlDto {
  @ApiProperty({ description: 'The signed apply URL to open in a browser', example: 'https://dash.cloudflare.com/domainconnect/v2/domainTemplates/providers/hub.example/services/reverse-proxy-us/apply?domain=example.com&host=e&target=x.proxy.hub.example&sig=...&key=_dcpubkeyv1' })
  url: string;
}

@ApiSchema({ description: "The TXT records publishing the hub's Domain Connect signing key." })
export class PublicKeyRecordsDto {
  @ApiProperty({ example: '_dcpubkeyv1.hub.example.com', description: 'Where to publish the TXT records' }) host: string;
  @ApiProperty({ description: 'Host label of the TXT records (`DOMAIN_CONNECT_KEY_ID`)', example: '_dcpubkeyv1' }) key_id: string;
  @ApiProperty({ description: 'TXT record values carrying the public key, in order', type: [String], example: ['p=1,a=RS256,d=MIIBIjANBgkqh...'] }) records: string[];
}
