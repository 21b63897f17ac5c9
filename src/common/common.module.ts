import { Global, Module } from '@nestjs/common';
import { OutboundHttpService } from './outbound/outbound-http.service';
import { SnowflakeService } from './snowflake.service';

/** Cross-cutting services every feature module may use. */
@Global()
@Module({ providers: [OutboundHttpService, SnowflakeService], exports: [OutboundHttpService, SnowflakeService] })
export class CommonModule {}
